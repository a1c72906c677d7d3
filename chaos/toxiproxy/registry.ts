// The set of proxies and every operation the API performs on them.
// Operations run one at a time (they await listeners opening and closing),
// so two requests can never interleave halfway through a change.
import { ApiError, missingField, proxyExists, proxyNotFound, toxicExists } from './errors.ts';
import { ToxicProxy, type ProxyConfig, type ProxyJson } from './proxy.ts';
import { decodeStruct, jsonTypeName, type FieldSpec } from './schema.ts';
import { decodeAttributes, decodeToxicHeader, mergeToxicUpdate, toxicJson, type ToxicJson } from './toxic-spec.ts';

const PROXY_FIELDS: readonly FieldSpec[] = [
  { key: 'name', kind: 'string' },
  { key: 'listen', kind: 'string' },
  { key: 'upstream', kind: 'string' },
  { key: 'enabled', kind: 'bool' },
];

function decodeProxy(body: unknown): ProxyConfig {
  const config = decodeStruct(body, { name: '', listen: '', upstream: '', enabled: true }, PROXY_FIELDS, 'proxy.Proxy');
  if (config.name === '') throw missingField('name');
  if (config.upstream === '') throw missingField('upstream');
  return config;
}

export class Registry {
  private readonly proxies = new Map<string, ToxicProxy>();
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `op` after every earlier operation has finished. */
  run<T>(op: () => T | Promise<T>): Promise<T> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  list(): Record<string, ProxyJson> {
    const out: Record<string, ProxyJson> = {};
    // Go marshals maps with sorted keys.
    for (const name of [...this.proxies.keys()].sort()) out[name] = this.get(name).toJSON();
    return out;
  }

  get(name: string): ToxicProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  async create(body: unknown): Promise<ProxyJson> {
    const config = decodeProxy(body);
    if (this.proxies.has(config.name)) throw proxyExists();
    const proxy = new ToxicProxy(config);
    if (config.enabled) await proxy.start();
    this.proxies.set(config.name, proxy);
    return proxy.toJSON();
  }

  /** All entries are validated before any change; matching proxies are kept with their toxics. */
  async populate(body: unknown): Promise<ProxyJson[] | null> {
    const fail = (message: string, status = 400): ApiError => new ApiError(status, message, { proxies: null }, 'application/json');
    if (!Array.isArray(body)) {
      throw fail(`bad request body: json: cannot unmarshal ${jsonTypeName(body)} into Go value of type []proxy.Proxy`);
    }
    const configs: ProxyConfig[] = [];
    body.forEach((entry: unknown, i: number) => {
      try {
        configs.push(decodeProxy(entry));
      } catch (err) {
        throw fail(`${err instanceof Error ? err.message : String(err)} at proxy ${i + 1}`);
      }
    });
    const out: ProxyJson[] = [];
    for (const config of configs) {
      const existing = this.proxies.get(config.name);
      if (existing && existing.listen === config.listen && existing.upstream === config.upstream) {
        out.push(existing.toJSON());
        continue;
      }
      if (existing) {
        await existing.stop();
        this.proxies.delete(config.name);
      }
      const proxy = new ToxicProxy(config);
      try {
        if (config.enabled) await proxy.start();
      } catch (err) {
        throw fail(err instanceof Error ? err.message : String(err), err instanceof ApiError ? err.status : 500);
      }
      this.proxies.set(config.name, proxy);
      out.push(proxy.toJSON());
    }
    // Go encodes an empty slice built by append as null.
    return out.length === 0 ? null : out;
  }

  /** Update (PATCH or POST): fields present replace the current ones; `name` is ignored. */
  async update(name: string, body: unknown): Promise<ProxyJson> {
    const proxy = this.get(name);
    const current = proxy.toJSON();
    const next = decodeStruct(
      body,
      { name: current.name, listen: current.listen, upstream: current.upstream, enabled: current.enabled },
      PROXY_FIELDS,
      'proxy.Proxy',
    );
    await proxy.update({ ...next, name: proxy.name });
    return proxy.toJSON();
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.stop();
  }

  /** Re-enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      proxy.removeAllToxics();
      if (!proxy.toJSON().enabled) await proxy.start();
    }
  }

  addToxic(proxyName: string, body: unknown): ToxicJson {
    const proxy = this.get(proxyName);
    const { spec, rawAttributes } = decodeToxicHeader(body);
    // Toxiproxy checks the name before decoding the attributes.
    if (proxy.hasToxic(spec.name)) throw toxicExists();
    const full = { ...spec, attributes: decodeAttributes(spec.type, rawAttributes) };
    proxy.addToxic(full);
    return toxicJson(full);
  }

  updateToxic(proxyName: string, toxicName: string, body: unknown): ToxicJson {
    const proxy = this.get(proxyName);
    const merged = mergeToxicUpdate(proxy.getToxic(toxicName), body);
    proxy.updateToxic(merged);
    return toxicJson(merged);
  }

  /** Stops every proxy; used when the server shuts down. */
  async closeAll(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}
