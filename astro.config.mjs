// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  server: { host: '127.0.0.1', port: 4321 },
  integrations: [
    starlight({
      title: 'Exchange Online Runbook',
      description: 'Guides for Microsoft 365 / Exchange Online administrators whose steps run against your tenant.',
      customCss: ['./src/styles/custom.css'],
      // Wrap long lines instead of scrolling: the whole command stays visible (and copyable) on any screen, and
      // code blocks never turn into unnamed scroll regions (axe-core landmark-unique). The hanging indent marks a
      // continued line, so a wrapped command is not mistaken for two.
      expressiveCode: { defaultProps: { wrap: true, hangingIndent: 4 } },
      components: { SocialIcons: './src/components/overrides/SocialIcons.astro' },
      routeMiddleware: './src/route-data.ts',
      sidebar: [
        { label: 'Guides', items: [{ autogenerate: { directory: 'guides' } }] },
        { label: 'Reference', items: [{ autogenerate: { directory: 'reference' } }] },
      ],
    }),
    mdx(),
  ],
});
