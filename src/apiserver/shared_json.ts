/**
 * JSON text of the watch cache's objects, made once per object however often it is served: a
 * watch event goes to every watcher, a cached object to every GET and list of it. Only for
 * objects nobody changes after they are cached (the watch cache's, see WatchCache.get); the
 * text lives exactly as long as its object.
 */
import type { KubeObject } from '../api/object.js';

const texts = new WeakMap<KubeObject, string>();

/** The JSON of an unchanging object, stringified on first use. */
export function sharedJson(obj: KubeObject): string {
  let text = texts.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    texts.set(obj, text);
  }
  return text;
}
