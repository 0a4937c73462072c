import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { feature } from 'topojson-client';
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from 'topojson-specification';
import { EUROPE, MEDITERRANEAN, NORTH_AMERICA, NORTH_ATLANTIC, TURKISH_STRAITS } from './areas.ts';
import { TreatyGeography, type GeographyData, type PartInfo, type PartRegion, type UnitInput } from './geography.ts';
import { DEFAULT_INDEX_OPTIONS, type PartGrid } from './spatial-index.ts';

/**
 * Reads Natural Earth 1:10m admin-0 units from the world-atlas package and builds the treaty
 * geography once per process. Building takes a few seconds, so the built index is kept in a
 * compact binary cache (node_modules/.cache/bulwark/) keyed by the source file and by the code
 * and drawn areas that shape it; later start-ups map it back in tens of milliseconds.
 */
const require = createRequire(import.meta.url);

export function worldAtlasPath(): string {
  return require.resolve('world-atlas/countries-10m.json');
}

/** Units of the topology; a polygon whose outer ring shares no arc with any other polygon is an island. */
export function unitsFromTopology(topo: Topology): UnitInput[] {
  const obj = topo.objects['countries'] as GeometryCollection<{ name: string }>;
  const uses = new Uint16Array(topo.arcs.length);
  const arcOf = (a: number): number => (a < 0 ? ~a : a);
  const polysOf = (g: (typeof obj.geometries)[number]): number[][][] =>
    g.type === 'Polygon' ? [(g as Polygon).arcs] : g.type === 'MultiPolygon' ? (g as MultiPolygon).arcs : [];
  for (const g of obj.geometries) for (const p of polysOf(g)) for (const r of p) for (const a of r) uses[arcOf(a)]!++;
  const units: UnitInput[] = [];
  for (const g of obj.geometries) {
    const geom = (feature(topo, g) as GeoJSON.Feature).geometry;
    const polygons =
      geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
    const islands = polysOf(g).map((p) => (p[0] ?? []).every((a) => uses[arcOf(a)] === 1));
    const props: { name?: string } | undefined = g.properties;
    units.push({ name: props?.name ?? String(g.id ?? '?'), polygons, islands });
  }
  return units;
}

const MAGIC = 0x47545742; // 'BWTG'
const REGIONS: PartRegion[] = ['europe', 'north-america', 'turkey', 'north-atlantic-island', 'elsewhere'];

/** Modules whose code shapes the built geography: their text is part of the cache key. */
const SHAPING_MODULES = ['geometry', 'areas', 'jurisdiction', 'geography', 'spatial-index', 'geography.loader'];

function cacheKey(source: string): string {
  const st = statSync(source);
  const h = createHash('sha256');
  h.update(`${st.size}:${st.mtimeMs}:${JSON.stringify(DEFAULT_INDEX_OPTIONS)}`);
  for (const r of [EUROPE, NORTH_AMERICA, NORTH_ATLANTIC, MEDITERRANEAN, TURKISH_STRAITS])
    h.update(JSON.stringify(r.rings));
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  for (const m of SHAPING_MODULES) {
    try {
      h.update(readFileSync(new URL(`./${m}${ext}`, import.meta.url)));
    } catch {
      h.update(m); // bundled builds: the data hashes above still change with the drawn areas
    }
  }
  return h.digest('hex').slice(0, 16);
}

interface Header {
  /** Per unit name, its jurisdiction; parts reference units by index. */
  units: [string, PartInfo['jurisdiction']][];
  /** Per part: unit index, region index, island (0/1), water (0/1). */
  parts: number[];
  repair: GeographyData['repair'];
  grids: {
    ox: number;
    oy: number;
    w: number;
    h: number;
    segs: number;
    cells: number;
    cellSegs: number;
    wide: boolean;
  }[];
}

function writeCache(file: string, data: GeographyData, grids: PartGrid[]): void {
  const units = [...new Map(data.parts.map((p) => [p.unit, p.jurisdiction])).entries()];
  const unitIndex = new Map(units.map(([u], i) => [u, i]));
  const parts = data.parts.flatMap((p) => [
    unitIndex.get(p.unit)!,
    REGIONS.indexOf(p.region),
    p.island ? 1 : 0,
    p.water ? 1 : 0,
  ]);
  const header: Header = {
    units,
    parts,
    repair: data.repair,
    grids: grids.map((g) => ({
      ox: g.ox,
      oy: g.oy,
      w: g.w,
      h: g.h,
      segs: g.segs.length,
      cells: g.centreIn.length,
      cellSegs: g.cellSegs.length,
      wide: g.cellSegs instanceof Int32Array,
    })),
  };
  const json = Buffer.from(JSON.stringify(header));
  const pad = (n: number): number => (n + 7) & ~7;
  let size = pad(8 + json.length);
  for (const g of grids)
    size +=
      pad(g.segs.byteLength) + pad(g.cellStart.byteLength) + pad(g.cellSegs.byteLength) + pad(g.centreIn.byteLength);
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(json.length, 4);
  json.copy(buf, 8);
  let off = pad(8 + json.length);
  for (const g of grids)
    for (const a of [g.segs, g.cellStart, g.cellSegs, g.centreIn]) {
      buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
      off += pad(a.byteLength);
    }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, buf);
  renameSync(tmp, file);
  // Older caches (other code or data versions) are removed.
  for (const f of readdirSync(dirname(file)))
    if (f.startsWith('treaty-geography-') && f.endsWith('.bin') && join(dirname(file), f) !== file)
      rmSync(join(dirname(file), f), { force: true });
}

function readCache(file: string): TreatyGeography | undefined {
  try {
    return readCacheFile(file);
  } catch {
    return undefined; // a damaged or foreign cache is rebuilt
  }
}

function readCacheFile(file: string): TreatyGeography | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) return undefined;
  // Typed arrays view the file's own memory when it is 8-byte aligned (as large reads are); else a copy.
  let ab = buf.buffer;
  let base = buf.byteOffset;
  if (base % 8 !== 0) {
    const copy = new Uint8Array(buf.length);
    copy.set(buf);
    ab = copy.buffer;
    base = 0;
  }
  const len = buf.readUInt32LE(4);
  const header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8')) as Header;
  const pad = (n: number): number => (n + 7) & ~7;
  let off = pad(8 + len);
  const at = (o: number): number => base + o;
  const take = <T>(make: (o: number) => T, bytes: number): T => {
    const v = make(off);
    off += pad(bytes);
    return v;
  };
  const grids: PartGrid[] = header.grids.map((g) => ({
    ox: g.ox,
    oy: g.oy,
    w: g.w,
    h: g.h,
    segs: take((o) => new Float32Array(ab, at(o), g.segs), g.segs * 4),
    cellStart: take((o) => new Int32Array(ab, at(o), g.cells + 1), (g.cells + 1) * 4),
    cellSegs: g.wide
      ? take((o) => new Int32Array(ab, at(o), g.cellSegs), g.cellSegs * 4)
      : take((o) => new Uint16Array(ab, at(o), g.cellSegs), g.cellSegs * 2),
    centreIn: take((o) => new Uint8Array(ab, at(o), g.cells), g.cells),
  }));
  if (off !== buf.length) return undefined;
  const parts: PartInfo[] = [];
  for (let i = 0; i < header.parts.length; i += 4) {
    const [unit, jurisdiction] = header.units[header.parts[i]!]!;
    parts.push({
      unit,
      jurisdiction,
      region: REGIONS[header.parts[i + 1]!]!,
      island: header.parts[i + 2] === 1,
      water: header.parts[i + 3] === 1,
    });
  }
  return new TreatyGeography({ parts, rings: [], repair: header.repair }, DEFAULT_INDEX_OPTIONS, grids);
}

export interface LoadOptions {
  /** Directory of the binary cache; null disables it. Default node_modules/.cache/bulwark. */
  cacheDir?: string | null;
}

let loaded: TreatyGeography | undefined;

/** Builds the geography from world-atlas countries-10m (through the cache when it is valid). */
export function buildWorldGeography(opts: LoadOptions = {}): { geography: TreatyGeography; fromCache: boolean } {
  const source = worldAtlasPath();
  const dir = opts.cacheDir === undefined ? join(dirname(dirname(source)), '.cache', 'bulwark') : opts.cacheDir;
  const file = dir === null ? null : join(dir, `treaty-geography-${cacheKey(source)}.bin`);
  const hit = file ? readCache(file) : undefined;
  if (hit) return { geography: hit, fromCache: true };
  const topo = JSON.parse(readFileSync(source, 'utf8')) as Topology;
  const geography = TreatyGeography.fromUnits(unitsFromTopology(topo));
  if (file) {
    try {
      writeCache(file, geography.data, geography.index.grids);
    } catch {
      // A read-only install still works, only without the cache.
    }
  }
  return { geography, fromCache: false };
}

/** The process-wide geography, built on first use. */
export function loadTreatyGeography(): TreatyGeography {
  loaded ??= buildWorldGeography().geography;
  return loaded;
}
