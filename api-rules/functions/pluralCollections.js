// /core/naming-resources (heuristic): a literal path segment that is followed
// by a path parameter names a collection, so it should be a plural noun.
// Dutch and English plurals mostly end in -s or -en ("indicatoren",
// "programma's" is written "programmas" in a URI, "units").
const PARAM = /^\{[^}]+\}$/;
const PLURAL = /(s|en)$/;

export default function pluralCollections(paths) {
  if (paths === null || typeof paths !== 'object') return [];
  const results = [];
  for (const p of Object.keys(paths)) {
    const segments = p.split('/').filter((s) => s.length > 0);
    for (let i = 0; i + 1 < segments.length; i += 1) {
      const seg = segments[i];
      if (!PARAM.test(seg) && PARAM.test(segments[i + 1]) && !PLURAL.test(seg)) {
        results.push({
          message: `Segment "${seg}" in "${p}" is followed by an identifier but does not look plural.`,
          path: ['paths', p],
        });
      }
    }
  }
  return results;
}
