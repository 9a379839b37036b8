/**
 * The OPATH filter parser (what a management scope filter may say) and evaluator (which recipients it selects).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterProblem, matchesFilter, parseFilter } from '../../../src/runbook/exchange/opath.ts';

const ALICE = {
  Department: 'Sales',
  CustomAttribute1: 'EWS-Archive',
  RecipientTypeDetails: 'UserMailbox',
  DisplayName: "Alice O'Neil",
};
/** Whether `filter` selects a recipient with `props` (missing properties read as unset). */
const selects = (filter: string, props: Record<string, string> = ALICE) =>
  matchesFilter(parseFilter(filter), (p) => props[p]);

describe('filterProblem', () => {
  it('accepts the filters the guide shows', () => {
    for (const filter of [
      "CustomAttribute1 -eq 'EWS-Archive'",
      "Department -eq 'Sales'",
      "(Department -eq 'Sales' -or Department -eq 'Finance') -and RecipientTypeDetails -eq 'UserMailbox'",
      '-not(CustomAttribute1 -eq $null)',
      'RecipientTypeDetails -eq RoomMailbox',
      `DisplayName -like "*O'Neil"`,
      "Department -eq 'R''n''D'",
    ])
      assert.equal(filterProblem(filter), undefined, filter);
  });
  it('names an unbalanced quote and where it starts', () => {
    assert.equal(
      filterProblem("Department -eq 'Sales"),
      "has an unbalanced quote: the ' at character 16 is never closed",
    );
    assert.equal(
      filterProblem('Department -eq "Sales'),
      'has an unbalanced quote: the " at character 16 is never closed',
    );
  });
  it('names unbalanced parentheses', () => {
    assert.equal(
      filterProblem("(Department -eq 'Sales'"),
      'has an unbalanced parenthesis: the "(" at character 1 is never closed',
    );
    assert.equal(
      filterProblem("Department -eq 'Sales')"),
      'has an unbalanced parenthesis: the ")" at character 23 has no matching "("',
    );
  });
  it('names an unknown operator and lists the known ones', () => {
    assert.equal(
      filterProblem("Department -match 'Sa'"),
      'uses the unknown operator "-match" at character 12 (known: -eq -ne -like -notlike -and -or -not)',
    );
    assert.match(
      filterProblem("Department -eq 'Sales' -xor Title -eq 'x'")!,
      /unknown operator "-xor" at character 24/,
    );
  });
  it('refuses properties outside the allow-list, missing values and dangling words', () => {
    assert.match(filterProblem("Salary -gt '5'")!, /unknown operator "-gt"/);
    assert.equal(
      filterProblem("Salary -eq '5'"),
      'uses the property "Salary" at character 1, which is not a recipient property a scope can filter on here',
    );
    assert.equal(
      filterProblem('Department -eq'),
      "expects a value ('quoted text' or $null) after Department -eq at the end, found the end of the filter",
    );
    assert.equal(filterProblem("Department -eq 'Sales' Title"), 'expects -and or -or at character 24, found "Title"');
    assert.equal(
      filterProblem("Department 'Sales'"),
      "expects a comparison (-eq -ne -like -notlike) after Department at character 12, found 'Sales'",
    );
    assert.equal(filterProblem('   '), 'is empty');
    assert.match(filterProblem('Department -eq $env:X')!, /expects a value/);
  });
  it('reads operators and property names in any case, as Exchange does', () => {
    assert.equal(filterProblem("department -EQ 'Sales' -AND customattribute1 -Like 'EWS*'"), undefined);
  });
});

describe('matchesFilter', () => {
  it('compares case-insensitively with -eq and -ne', () => {
    assert.equal(selects("Department -eq 'sales'"), true);
    assert.equal(selects("Department -eq 'Finance'"), false);
    assert.equal(selects("Department -ne 'Finance'"), true);
  });
  it('matches * wildcards with -like and -notlike, and only there', () => {
    assert.equal(selects("CustomAttribute1 -like 'EWS-*'"), true);
    assert.equal(selects("CustomAttribute1 -eq 'EWS-*'"), false, '-eq takes * literally');
    assert.equal(selects("DisplayName -like '*o''neil'"), true);
    assert.equal(selects("CustomAttribute1 -notlike 'EWS-*'"), false);
  });
  it('treats an unset property as $null', () => {
    assert.equal(selects('Title -eq $null'), true);
    assert.equal(selects('Department -eq $null'), false);
    assert.equal(selects('-not(Title -ne $null)'), true);
  });
  it('binds -and tighter than -or, and honours parentheses', () => {
    assert.equal(selects("Department -eq 'Finance' -and Title -eq 'x' -or CustomAttribute1 -eq 'EWS-Archive'"), true);
    assert.equal(
      selects("Department -eq 'Finance' -and (Title -eq 'x' -or CustomAttribute1 -eq 'EWS-Archive')"),
      false,
    );
    assert.equal(selects("-not Department -eq 'Sales' -or Title -eq $null"), true);
  });
});
