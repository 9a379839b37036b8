/**
 * Starlight route middleware: the errors reference page's headings come from a component (KnownErrors.astro), which
 * Starlight's table of contents cannot see, so its "On this page" list is built here from the same data.
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { errorsPage } from './components/known-errors.ts';

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  if (route.id !== 'reference/errors' || !route.toc) return;
  const [overview, ...written] = route.toc.items;
  route.toc.items = [
    ...(overview ? [overview] : []),
    ...written,
    ...errorsPage().map((group) => ({
      depth: 2,
      slug: group.guide.slug,
      text: group.guide.title,
      children: group.entries.map((entry) => ({ depth: 3, slug: entry.id, text: entry.title, children: [] })),
    })),
  ];
});
