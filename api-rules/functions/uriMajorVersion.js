// /core/uri-version: the major version is part of the URI and nothing more
// than the major version is. Accepts either a server URL that carries /vN
// or, when no server does, every path starting with a prefix that ends in /vN.
const MAJOR = /\/v[0-9]+(\/|$)/;
const MORE_THAN_MAJOR = /\/v[0-9]+\.[0-9]/;

export default function uriMajorVersion(doc) {
  if (doc === null || typeof doc !== 'object') return [];
  const results = [];
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const paths = doc.paths && typeof doc.paths === 'object' ? Object.keys(doc.paths) : [];

  servers.forEach((server, i) => {
    const url = server && typeof server.url === 'string' ? server.url : '';
    if (MORE_THAN_MAJOR.test(url)) {
      results.push({ message: `Server URL "${url}" contains more than the major version.`, path: ['servers', i, 'url'] });
    }
  });
  for (const p of paths) {
    if (MORE_THAN_MAJOR.test(p)) {
      results.push({ message: `Path "${p}" contains more than the major version.`, path: ['paths', p] });
    }
  }

  const serverHasMajor = servers.some((s) => s && typeof s.url === 'string' && MAJOR.test(s.url));
  if (!serverHasMajor) {
    for (const p of paths) {
      if (!MAJOR.test(p)) {
        results.push({
          message: `Path "${p}" has no major version (/vN) and no server URL carries one.`,
          path: ['paths', p],
        });
      }
    }
  }
  return results;
}
