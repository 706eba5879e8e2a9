// The estimate names visible to a cell, in definition order; a later definition replaces an earlier one.
import { Definition, Scope } from './types';

export class MapScope implements Scope {
  private readonly defs = new Map<string, Definition>();
  get(name: string) {
    return this.defs.get(name);
  }
  names() {
    return [...this.defs.keys()];
  }
  define(d: Definition) {
    this.defs.set(d.name, d);
  }
}
