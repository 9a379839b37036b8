// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  server: { host: '127.0.0.1', port: 4321 },
  vite: {
    build: {
      rolldownOptions: {
        // Astro's MDX pages carry a "use astro:head-inject" directive for Astro itself; the bundler warns that it may
        // not keep it, on every build, about Astro's own code. Nothing a reader of the build output can act on.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
  integrations: [
    starlight({
      title: 'Exchange Online Runbook',
      description: 'Guides for Microsoft 365 / Exchange Online administrators whose steps run against your tenant.',
      customCss: ['./src/styles/custom.css'],
      // src/pages/404.astro instead: Starlight's route wants a `404` docs entry and warns on every build without one.
      disable404Route: true,
      // Expressive Code's options are in ec.config.mjs: its plugin is a function, which the <Code> component (the
      // errors page) cannot take from this file.
      components: {
        SocialIcons: './src/components/overrides/SocialIcons.astro',
        // Loads the Pagefind UI when a reader goes to search, not when the page is idle (see the file).
        Search: './src/components/overrides/Search.astro',
        // Lets long compound words in titles wrap between their words on a phone (see the file).
        PageTitle: './src/components/overrides/PageTitle.astro',
      },
      routeMiddleware: './src/route-data.ts',
      sidebar: [
        { label: 'Guides', items: [{ autogenerate: { directory: 'guides' } }] },
        { label: 'Reference', items: [{ autogenerate: { directory: 'reference' } }] },
      ],
    }),
    mdx(),
  ],
});
