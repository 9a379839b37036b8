// @ts-check
/**
 * Expressive Code's options, read by Starlight's integration and by its <Code> component (KnownErrors.astro). They
 * live here, not in astro.config.mjs, because they hold a plugin (a function), and <Code> refuses options it cannot
 * serialize from the Astro config.
 */
import { defineEcConfig } from '@astrojs/starlight/expressive-code';

/**
 * Expressive Code plugin: keeps a code frame's header ("Terminal window", file titles) out of Pagefind's index, so
 * search excerpts show the guide's words and commands, not frame labels.
 */
/** @returns {import('@astrojs/starlight/expressive-code').ExpressiveCodePlugin} */
function searchIgnoresFrameHeaders() {
  /**
   * Marks every <figcaption> under `node`.
   * @param {{ type: string, tagName?: string, properties?: Record<string, unknown>, children?: unknown[] }} node
   */
  const mark = (node) => {
    if (node.type === 'element' && node.tagName === 'figcaption' && node.properties)
      node.properties['data-pagefind-ignore'] = '';
    for (const child of node.children ?? []) mark(/** @type {typeof node} */ (child));
  };
  return {
    name: 'search-ignores-frame-headers',
    hooks: { postprocessRenderedBlock: ({ renderData }) => mark(renderData.blockAst) },
  };
}

export default defineEcConfig({
  // Wrap long lines instead of scrolling: the whole command stays visible (and copyable) on any screen, and code
  // blocks never turn into unnamed scroll regions (axe-core landmark-unique). The hanging indent marks a continued
  // line, so a wrapped command is not mistaken for two.
  defaultProps: { wrap: true, hangingIndent: 4 },
  plugins: [searchIgnoresFrameHeaders()],
});
