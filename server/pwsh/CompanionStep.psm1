<#
  The companion's helper module, imported once into every pwsh it starts (server/executors/powershell.ts).
  Node sends one line per call, `Invoke-CompanionStep '<base64 of JSON>'`, so only base64 characters ever reach the
  PowerShell parser: values travel as data and are splatted into the cmdlet, never spliced into script text.
  Every call writes exactly one line, the marker followed by a JSON envelope: {ok, data} or {ok:false, error}.
#>
Set-StrictMode -Version 3.0

$script:Marker = '@@RUNBOOK-ENVELOPE@@'

# pwsh puts the user's and the machine's module folders before an inherited PSModulePath, so RUNBOOK_PSMODULEPATH
# (e.g. the stand-in module for rehearsals) is moved to the front here, before ExchangeOnlineManagement is imported.
if ($env:RUNBOOK_PSMODULEPATH) {
  $env:PSModulePath = $env:RUNBOOK_PSMODULEPATH + [System.IO.Path]::PathSeparator + $env:PSModulePath
}

# The allow-list: exactly CMDLETS of src/runbook/core/cmdlets.ts (test/runbook/lists.test.ts keeps them equal).
$script:AllowedCmdlets = @(
  'Get-OrganizationConfig'
  'Set-OrganizationConfig'
  'Enable-OrganizationCustomization'
  'Get-ManagementRole'
  'Get-ManagementRoleAssignment'
  'New-ManagementRoleAssignment'
  'Remove-ManagementRoleAssignment'
  'Get-RoleGroup'
  'Get-RoleGroupMember'
  'New-RoleGroup'
  'Remove-RoleGroup'
  'Get-ServicePrincipal'
  'New-ServicePrincipal'
  'Remove-ServicePrincipal'
  'Get-ManagementScope'
  'New-ManagementScope'
  'Remove-ManagementScope'
  'Test-ServicePrincipalAuthorization'
  'Get-Mailbox'
  'Get-CASMailbox'
)

<# Describes this process: pwsh version, pid, and where ExchangeOnlineManagement would load from. #>
function Get-CompanionInfo {
  $exo = Get-Module -ListAvailable -Name ExchangeOnlineManagement | Sort-Object Version -Descending | Select-Object -First 1
  [ordered]@{
    pid        = $PID
    pwsh       = $PSVersionTable.PSVersion.ToString()
    allowed    = $script:AllowedCmdlets
    exoVersion = if ($exo) { $exo.Version.ToString() } else { $null }
    exoPath    = if ($exo) { $exo.Path } else { $null }
    exoStandIn = [bool]($exo -and $exo.PrivateData -and $exo.PrivateData['RunbookStandIn'])
  }
}

<# Connects with the admin's delegated token; only the catalog's cmdlets are imported into the session. #>
function Connect-CompanionSession([hashtable]$Params) {
  Import-Module ExchangeOnlineManagement -ErrorAction Stop
  Connect-ExchangeOnline -AccessToken $Params['AccessToken'] -UserPrincipalName $Params['UserPrincipalName'] `
    -ShowBanner:$false -SkipLoadingFormatData -CommandName $script:AllowedCmdlets -ErrorAction Stop | Out-Null
  $null
}

<# Runs one allow-listed cmdlet with the parameters splatted; errors stop it, confirmations are never asked. #>
function Invoke-AllowedCmdlet([string]$Name, [hashtable]$Params) {
  if ($script:AllowedCmdlets -cnotcontains $Name) { throw [System.ArgumentException]::new("Cmdlet '$Name' is not on the companion's allow-list.") }
  $command = Get-Command -Name $Name -CommandType Cmdlet, Function -ErrorAction Stop
  if ($command.Parameters.ContainsKey('Confirm')) { $Params['Confirm'] = $false }
  $Params['ErrorAction'] = 'Stop'
  # @() collects the pipeline; one object is returned as itself, like the cmdlet's own output would read.
  $output = @(& $command @Params)
  if ($output.Count -eq 0) { $null } elseif ($output.Count -eq 1) { $output[0] } else { , $output }
}

<#
  Turns an error record into the envelope's error, as PowerShell would display it: the message (ErrorDetails when the
  record carries them, else the exception's), the exception type, FQID, category and CategoryInfo.Reason. Nothing is
  parsed here: the V3 module writes the service's text in two shapes, `Ex<code>|<type>|<text>` and `||<text>` (the
  exception's name then only in Reason or the FQID), and envelope.ts reads both.
#>
function ConvertTo-CompanionError([System.Management.Automation.ErrorRecord]$Record) {
  $details = if ($Record.ErrorDetails -and $Record.ErrorDetails.Message) { $Record.ErrorDetails.Message } else { $null }
  [ordered]@{
    message  = if ($details) { $details } else { $Record.Exception.Message }
    type     = $Record.Exception.GetType().FullName
    fqid     = $Record.FullyQualifiedErrorId
    category = [string]$Record.CategoryInfo.Category
    reason   = $Record.CategoryInfo.Reason
  }
}

<# Runs one decoded request: `info`, `connect`, or an allow-listed `cmdlet`. #>
function Invoke-CompanionRequest([hashtable]$Request) {
  $params = if ($Request['params']) { $Request['params'] } else { @{} }
  switch ($Request['op']) {
    'info' { Get-CompanionInfo }
    'connect' { Connect-CompanionSession $params }
    'cmdlet' { Invoke-AllowedCmdlet ([string]$Request['cmdlet']) $params }
    default { throw [System.ArgumentException]::new("Unknown companion operation '$($Request['op'])'.") }
  }
}

<# The one entry point Node calls: decodes the request, runs it, writes one envelope line to stdout. #>
function Invoke-CompanionStep {
  [CmdletBinding()]
  param([Parameter(Mandatory, Position = 0)][string]$Request)
  # Warnings, progress, verbose and Write-Host output would interleave with the envelope: silence them.
  $ProgressPreference = 'SilentlyContinue'; $WarningPreference = 'SilentlyContinue'
  $InformationPreference = 'SilentlyContinue'; $VerbosePreference = 'SilentlyContinue'
  # The previous request line (a connect carries the token) must not stay in the session's history.
  Clear-History
  try {
    $json = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Request))
    # -DateKind String: a value that looks like a date stays the exact string it was.
    $decoded = ConvertFrom-Json -InputObject $json -AsHashtable -DateKind String -ErrorAction Stop
    $data = Invoke-CompanionRequest $decoded 3>$null 4>$null 5>$null 6>$null
    $envelope = [ordered]@{ ok = $true; data = $data }
  } catch {
    $envelope = [ordered]@{ ok = $false; error = ConvertTo-CompanionError $_ }
  }
  # EscapeNonAscii: the line is plain ASCII, whatever the console encoding and whatever the strings hold.
  $line = ConvertTo-Json -InputObject $envelope -Depth 12 -Compress -EscapeHandling EscapeNonAscii -WarningAction SilentlyContinue
  [Console]::Out.WriteLine($script:Marker + $line)
}

Export-ModuleMember -Function Invoke-CompanionStep
