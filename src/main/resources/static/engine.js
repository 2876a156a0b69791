// The footer names the codec engine the server runs, from GET /actuator/info. A module of its own,
// apart from app.js: the rest of the page works the same when info cannot be read (management on
// another port, say), and the footer then stays hidden.

const NATIVE_HINT = 'apt-get install libvips42 on the server for the native engine, about 2-5x faster';

/** The footer's text for the info document's codec part, or null when it names no engine. */
export function engineText(codec) {
  if (!codec || !codec.engine) {
    return null;
  }
  if (codec.engine === 'native') {
    return `Codec engine: native (libvips ${codec.version})`;
  }
  return `Codec engine: ${codec.engine} (Java ${codec.version}); ${NATIVE_HINT}`;
}

export async function showEngine(element) {
  try {
    // With API keys, info needs the key the page keeps for this tab (app.js asks for it).
    const headers = { Accept: 'application/json' };
    let key = null;
    try {
      key = sessionStorage.getItem('imgpress.apiKey');
    } catch {
      // no storage: no key
    }
    if (key) {
      headers.Authorization = `Bearer ${key}`;
    }
    const response = await fetch('/actuator/info', { headers });
    if (!response.ok) {
      return;
    }
    const text = engineText((await response.json()).codec);
    if (text) {
      element.textContent = text;
      element.hidden = false;
    }
  } catch {
    // info unreachable: no footer
  }
}

const footer = document.getElementById('engine');
if (footer) {
  showEngine(footer);
}
