import type { Express } from 'express';

export interface Route {
  method: 'get' | 'post';
  path: string;
}

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every GET and POST route the app has (so that a new one is covered without editing a test). */
export function routesOf(app: Express): Route[] {
  const found: Route[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods))
          if (m === 'get' || m === 'post') found.push({ method: m, path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}
