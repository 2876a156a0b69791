// The footer names the codec engine the server runs, from GET /actuator/info, and the upload form
// offers only the output formats it writes. A module of its own, apart from app.js: the rest of the
// page works the same when info cannot be read (management on another port, say), and the footer
// then stays hidden with every format on offer.

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

/**
 * The output formats the info document's codec part says the engine writes, as the upload's format
 * field names them; null when it does not say (an api node, or info unreadable): then every format
 * stays on offer and the upload itself refuses one the engine cannot write.
 */
export function writableFormats(codec) {
  // {"writes": {"native": [...]}}: the list of the engine that runs; a plain list is taken too.
  const writes = codec && codec.writes && !Array.isArray(codec.writes)
    ? codec.writes[codec.engine]
    : codec && codec.writes;
  if (!Array.isArray(writes)) {
    return null;
  }
  return new Set(writes.map((name) => {
    const lower = String(name).toLowerCase().replace(/^image\//, '');
    return lower === 'jpg' ? 'jpeg' : lower;
  }));
}

// Disables the formats the engine cannot write in the upload form's select, and says why.
function offerFormats(codec) {
  const select = document.getElementById('format');
  const writes = writableFormats(codec);
  if (!select || !writes) {
    return;
  }
  const missing = [];
  for (const option of select.options) {
    option.disabled = !writes.has(option.value);
    if (option.disabled) {
      missing.push(option.textContent);
    }
  }
  if (select.selectedOptions.length === 0 || select.selectedOptions[0].disabled) {
    select.value = 'jpeg';
  }
  const help = document.getElementById('format-help');
  if (help && missing.length > 0) {
    const names = missing.join(' and ');
    const verb = missing.length > 1 ? 'need' : 'needs';
    help.textContent = codec.engine === 'native'
      ? `${names}: not written by this server's libvips.`
      : `${names} ${verb} the native engine (libvips) on the server.`;
  }
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
    const codec = (await response.json()).codec;
    const text = engineText(codec);
    if (text) {
      element.textContent = text;
      element.hidden = false;
    }
    offerFormats(codec);
  } catch {
    // info unreachable: no footer
  }
}

const footer = document.getElementById('engine');
if (footer) {
  showEngine(footer);
}
