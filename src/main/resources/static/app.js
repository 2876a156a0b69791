// imgpress web page: upload a CSV, watch a request live, browse recent requests.
// Plain ES module, no build step. Every server value reaches the DOM through textContent or
// attributes, never innerHTML.

const $ = (id) => document.getElementById(id);
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POLL_MS = 2000;
const RECENT_SIZE = 10;
const PRODUCTS_PER_PAGE = 100;
const MAX_PAGE_SIZE = 1000; // the most products GET /status/{id} sends in one page
const RATE_WINDOW_MS = 10000;

// ---------------------------------------------------------------- helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function formatBytes(n) {
  if (n === null || n === undefined) return "";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

function isFinal(status) {
  return status === "completed" || status === "failed";
}

// Only http(s) URLs the service handed out become <img src>. A source URL from the CSV never
// does: loading it would send the viewer's browser to whatever address the CSV names (a tracking
// pixel for its owner, or a host on the viewer's network); the page shows the preview the service
// made from the bytes it fetched instead, and the source URL as text.
function safeImageUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

async function readProblem(response) {
  try {
    const body = await response.json();
    if (body && typeof body === "object") return body;
  } catch {
    // not JSON: fall through
  }
  return { title: `HTTP ${response.status}`, detail: response.statusText || "request failed" };
}

// ---------------------------------------------------------------- API key

// With API keys configured every call needs Authorization: Bearer <key>. The page asks for the key
// when a call answers 401, keeps it in sessionStorage (this tab, until it closes) and sends it in
// the header only: never in a URL, where logs and the Referer would keep it.
const KEY_STORAGE = "imgpress.apiKey";
let keyPrompt = null;

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

function forgetKey(key) {
  try {
    if (sessionStorage.getItem(KEY_STORAGE) === key) sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage unavailable: nothing kept
  }
}

// One prompt for every call waiting on a key; resolves with the key typed in.
function askForKey(message) {
  if (!keyPrompt) {
    keyPrompt = new Promise((resolve) => {
      const view = $("key-view");
      const input = $("api-key");
      $("key-message").textContent = message;
      input.value = "";
      view.hidden = false;
      input.focus();
      $("key-form").onsubmit = (event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (key === "") return;
        try {
          sessionStorage.setItem(KEY_STORAGE, key);
        } catch {
          // kept for this call only
        }
        input.value = "";
        view.hidden = true;
        keyPrompt = null;
        resolve(key);
      };
    });
  }
  return keyPrompt;
}

// fetch() with the key, asking for one (again) whenever the service answers 401.
async function api(path, options = {}) {
  let key = storedKey();
  for (;;) {
    const headers = new Headers(options.headers || {});
    if (key) headers.set("Authorization", `Bearer ${key}`);
    const response = await fetch(path, { ...options, headers });
    if (response.status !== 401) return response;
    if (key) forgetKey(key);
    key = await askForKey(key
      ? "That API key was not accepted. Enter your API key."
      : "This service needs an API key. Enter yours to continue.");
  }
}

// A server-sent event stream read with fetch(), which, unlike EventSource, can send the key in a
// header. Calls onEvent(type, data, id) per event; resolves when the server ends the stream, and
// rejects with error.status set when the stream is refused.
async function readEvents(path, { lastEventId, signal, onOpen, onEvent }) {
  const headers = { Accept: "text/event-stream" };
  if (lastEventId !== null && lastEventId !== undefined) headers["Last-Event-ID"] = `${lastEventId}`;
  const response = await api(path, { headers, signal, cache: "no-store" });
  if (!response.ok || !response.body) {
    const error = new Error((await readProblem(response)).detail);
    error.status = response.status;
    throw error;
  }
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let type = "message";
  let data = [];
  let id = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line === "") {
        if (data.length > 0) onEvent(type, data.join("\n"), id);
        type = "message";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue; // a keep-alive comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") type = text;
      else if (field === "data") data.push(text);
      else if (field === "id") id = text;
    }
  }
}

function setBadge(node, status) {
  node.textContent = status;
  node.className = `badge badge-${status}`;
}

// ---------------------------------------------------------------- upload form

const form = $("upload-form");
const fileInput = $("file");
const dropzone = $("dropzone");
const uploadErrors = $("upload-errors");
const submitButton = $("submit");

function showFileName() {
  const file = fileInput.files[0];
  $("file-name").textContent = file ? `Selected: ${file.name} (${formatBytes(file.size)})` : "";
  dropzone.classList.toggle("has-file", Boolean(file));
}

fileInput.addEventListener("change", showFileName);

for (const type of ["dragenter", "dragover"]) {
  dropzone.addEventListener(type, (event) => {
    event.preventDefault();
    dropzone.classList.add("dragging");
  });
}
for (const type of ["dragleave", "dragend"]) {
  dropzone.addEventListener(type, () => dropzone.classList.remove("dragging"));
}
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropzone.classList.remove("dragging");
  if (event.dataTransfer && event.dataTransfer.files.length > 0) {
    fileInput.files = event.dataTransfer.files;
    showFileName();
  }
});

// "Automatic" quality: the number field is off while it is checked, and the upload sends
// quality=auto instead.
const qualityInput = $("quality");
const qualityAuto = $("quality-auto");
const MAX_DIMENSION = 16384;

function syncQuality() {
  qualityInput.disabled = qualityAuto.checked;
  qualityInput.required = !qualityAuto.checked;
}

qualityAuto.addEventListener("change", syncQuality);
// form.reset() unchecks the box after the form's own reset runs; sync after it.
form.addEventListener("reset", () => setTimeout(syncQuality));

function clearUploadErrors() {
  uploadErrors.hidden = true;
  uploadErrors.replaceChildren();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// Shows a problem (RFC 9457) or a local message; CSV errors become a list with line numbers.
function showUploadErrors(title, detail, errors = [], field = null) {
  uploadErrors.replaceChildren(el("p", { class: "errors-title" }, el("strong", { text: title })));
  if (detail) uploadErrors.append(el("p", { text: detail }));
  if (errors.length > 0) {
    const list = el("ul", { class: "error-list", "aria-label": "Problems in the CSV" });
    for (const error of errors) {
      const where = [];
      if (error.line > 0) where.push(`Line ${error.line}`);
      if (error.column) where.push(`column “${error.column}”`);
      list.append(
        el("li", {},
          where.length ? el("span", { class: "error-where", text: `${where.join(", ")}: ` }) : null,
          el("span", { text: error.message })));
    }
    uploadErrors.append(list);
  }
  const input = field && form.elements.namedItem(field);
  if (input) input.setAttribute("aria-invalid", "true");
  uploadErrors.hidden = false;
  uploadErrors.focus();
}

function validateLocally() {
  if (fileInput.files.length === 0) {
    showUploadErrors("Choose a CSV file", "Pick a file or drop one on the drop zone.", [], "file");
    return false;
  }
  const quality = qualityInput.value.trim();
  if (!qualityAuto.checked && quality !== "" && !/^(100|[1-9][0-9]?)$/.test(quality)) {
    showUploadErrors("Invalid quality", "Quality must be a whole number from 1 to 100.", [], "quality");
    return false;
  }
  for (const [field, label] of [["maxWidth", "Max width"], ["maxHeight", "Max height"]]) {
    const value = $(field).value.trim();
    if (value !== "" && !(/^[0-9]+$/.test(value) && +value >= 1 && +value <= MAX_DIMENSION)) {
      showUploadErrors(`Invalid ${label.toLowerCase()}`,
        `${label} must be a whole number of pixels from 1 to ${MAX_DIMENSION}.`, [], field);
      return false;
    }
  }
  // A number field holding text the browser cannot parse reads as "": say so rather than send none.
  for (const field of ["maxWidth", "maxHeight", "quality"]) {
    const input = $(field);
    if (!input.disabled && input.validity && input.validity.badInput) {
      showUploadErrors("Invalid number", "Enter a whole number, or leave the field empty.", [], field);
      return false;
    }
  }
  const webhook = $("webhookUrl").value.trim();
  if (webhook !== "" && !/^https?:\/\/\S+$/i.test(webhook)) {
    showUploadErrors("Invalid webhook URL", "The webhook URL must start with http:// or https://.",
      [], "webhookUrl");
    return false;
  }
  return true;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearUploadErrors();
  if (!validateLocally()) return;

  const data = new FormData();
  data.append("file", fileInput.files[0]);
  const quality = qualityInput.value.trim();
  if (qualityAuto.checked) data.append("quality", "auto");
  else if (quality !== "") data.append("quality", quality);
  data.append("format", $("format").value);
  for (const field of ["maxWidth", "maxHeight"]) {
    const value = $(field).value.trim();
    if (value !== "") data.append(field, value);
  }
  const webhook = $("webhookUrl").value.trim();
  if (webhook !== "") data.append("webhookUrl", webhook);

  submitButton.disabled = true;
  submitButton.textContent = "Uploading…";
  try {
    let response;
    try {
      response = await api("/upload", { method: "POST", body: data });
    } catch (networkError) {
      showUploadErrors("Network error",
        `The server could not be reached (${networkError.message}). Check the connection and try again.`);
      return;
    }
    if (response.status === 202) {
      const accepted = await response.json();
      form.reset();
      showFileName();
      location.hash = `#/r/${accepted.requestId}`;
      return;
    }
    const problem = await readProblem(response);
    showUploadErrors(problem.title || "Upload refused", problem.detail,
      Array.isArray(problem.errors) ? problem.errors : [], problem.field || null);
  } finally {
    submitButton.disabled = false;
    submitButton.textContent = "Upload and compress";
  }
});

// ---------------------------------------------------------------- recent requests

let recentPage = 0;

async function loadRecent(page = recentPage) {
  const message = $("recent-message");
  message.textContent = "Loading…";
  let body;
  try {
    const response = await api(`/requests?page=${page}&size=${RECENT_SIZE}`);
    if (!response.ok) throw new Error((await readProblem(response)).detail);
    body = await response.json();
  } catch (error) {
    message.textContent = `Could not load recent requests: ${error.message}`;
    return;
  }
  recentPage = body.page;
  const list = $("recent-list");
  list.replaceChildren();
  for (const item of body.items) {
    const progress = `${item.processedImages} of ${item.totalImages} processed` +
      (item.failedImages > 0 ? `, ${item.failedImages} failed` : "");
    const badge = el("span", {});
    setBadge(badge, item.status);
    list.append(
      el("li", { class: "recent-item" },
        el("a", { href: `#/r/${item.requestId}`, class: "recent-link" },
          el("code", { class: "request-id", text: item.requestId })),
        badge,
        el("span", { class: "recent-progress", text: progress }),
        el("time", { datetime: item.createdAt, class: "muted", text: formatTime(item.createdAt) })));
  }
  message.textContent = body.items.length === 0
    ? (page === 0 ? "No requests yet. Upload a CSV above." : "No more requests.")
    : "";
  $("recent-page").textContent = `Page ${body.page + 1}`;
  $("recent-prev").disabled = body.page === 0;
  $("recent-next").disabled = !body.hasMore;
}

$("recent-prev").addEventListener("click", () => loadRecent(Math.max(0, recentPage - 1)));
$("recent-next").addEventListener("click", () => loadRecent(recentPage + 1));
$("recent-refresh").addEventListener("click", () => loadRecent());

// ---------------------------------------------------------------- live view of one request

// The request being watched; replaced whenever the route changes.
let watch = null;

// Follows one request without ever holding all of it: products are loaded a page at a time
// (GET /status/{id}?page=&size=), and the event stream (?since=) sends the counts and only the
// images that changed. Rows are keyed by imageId, which never changes, and each row keeps the
// newest state it was given (the greater changeNumber wins), so a page that loads while events
// arrive, or events that overtake a page, cannot leave a row behind.
class RequestWatch {
  constructor(id) {
    this.id = id;
    this.source = null;
    this.timer = null;
    this.stopped = false;
    this.samples = [];
    this.status = null;
    this.changeNumber = 0;
    this.totalProducts = 0;
    this.loadedProducts = 0;
    this.imageViews = new Map();
    this.loadingMore = false;
    // Changes of images not shown yet, kept only while a page of products is loading.
    this.unplaced = null;
  }

  async start() {
    let first;
    try {
      first = await this.fetchPage(0, PRODUCTS_PER_PAGE);
    } catch (error) {
      this.unreachable(error);
      this.pollLater();
      return;
    }
    if (!first || this.stopped) return;
    this.showPage(first, true);
    this.showSummary(first);
    if (!isFinal(first.status)) this.follow();
  }

  // The changes after what the first page showed, read with fetch() so the API key goes in a
  // header. A stream refused (503) or failing for good falls back to polling; one that drops
  // reconnects after a moment and resumes after its last event (Last-Event-ID).
  follow() {
    if (!("ReadableStream" in window) || !("TextDecoderStream" in window)) {
      this.pollLater();
      return;
    }
    const controller = new AbortController();
    this.source = controller;
    let lastEventId = null;
    const connect = (failures) => {
      readEvents(`/status/${this.id}/events?since=${this.changeNumber}`, {
        lastEventId,
        signal: controller.signal,
        onOpen: () => {
          failures = 0;
          this.connection("Live updates on.");
        },
        onEvent: (type, data, id) => {
          if (id !== null) lastEventId = id;
          if (type === "progress") this.progress(JSON.parse(data));
        },
      }).then(
        () => this.streamEnded(controller, connect, failures),
        (error) => {
          if (controller.signal.aborted || this.source !== controller) return;
          if (error.status || failures >= 3) {
            this.closeSource();
            if (!this.stopped) this.poll();
            return;
          }
          this.streamEnded(controller, connect, failures + 1);
        });
    };
    connect(0);
  }

  // The server ends the stream after the final event, or at its maximum duration: reconnect
  // unless the request is final.
  streamEnded(controller, connect, failures) {
    if (this.stopped || this.source !== controller) return;
    if (this.status && isFinal(this.status.status)) return;
    this.connection("Reconnecting…");
    setTimeout(() => {
      if (!this.stopped && this.source === controller) connect(failures);
    }, 1000);
  }

  stop() {
    this.stopped = true;
    this.closeSource();
    clearTimeout(this.timer);
  }

  closeSource() {
    if (this.source) {
      this.source.abort();
      this.source = null;
    }
  }

  connection(text) {
    $("request-connection").textContent = text;
  }

  unreachable(error) {
    this.connection(`Could not reach the server (${error.message}); retrying every ${POLL_MS / 1000} s.`);
  }

  // One page of products with the request's counts; null (and the view says so) when there is no
  // such request.
  async fetchPage(page, size) {
    const response = await api(`/status/${this.id}?page=${page}&size=${size}`);
    if (response.status === 404) {
      this.missing();
      return null;
    }
    if (!response.ok) throw new Error((await readProblem(response)).detail);
    return response.json();
  }

  pollLater() {
    if (!this.stopped && !(this.status && isFinal(this.status.status))) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.poll(), POLL_MS);
    }
  }

  // Without a stream: reads again the products on view (the first page if none yet), in pages as
  // large as the server allows, and the counts.
  async poll() {
    if (this.stopped) return;
    this.connection(`Checking every ${POLL_MS / 1000} s.`);
    try {
      const first = this.loadedProducts === 0;
      const size = first ? PRODUCTS_PER_PAGE : Math.min(this.loadedProducts, MAX_PAGE_SIZE);
      const pages = first ? 1 : Math.ceil(this.loadedProducts / size);
      let last = null;
      for (let page = 0; page < pages && !this.stopped; page++) {
        last = await this.fetchPage(page, size);
        if (!last) return;
        this.showPage(last, first);
      }
      if (last && !this.stopped) this.showSummary(last);
    } catch (error) {
      this.unreachable(error);
    }
    this.pollLater();
  }

  progress(event) {
    if (this.stopped) return;
    for (const image of event.images) {
      const view = this.imageViews.get(image.imageId);
      if (view) view(image);
      else if (this.unplaced) this.unplaced.set(image.imageId, image);
    }
    this.showSummary(event);
  }

  missing() {
    this.stop();
    $("request-body").hidden = true;
    const message = $("request-missing");
    message.textContent = "No request has this id. It may have been mistyped.";
    message.hidden = false;
  }

  // The request card: counts, rate, webhook, download; from a status page or a progress event.
  showSummary(status) {
    if (this.stopped) return;
    this.status = status;
    this.changeNumber = Math.max(this.changeNumber, status.changeNumber || 0);
    this.sample(status);
    setBadge($("request-status"), status.status);
    $("request-created").textContent = `created ${formatTime(status.createdAt)}`;

    const total = status.totalImages;
    const done = status.processedImages;
    const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
    const bar = $("request-progress");
    bar.value = percent;
    bar.setAttribute("aria-valuetext", `${done} of ${total} images processed`);
    $("request-progress-text").textContent =
      `${done} of ${total} images processed (${percent}%)` +
      (status.failedImages > 0 ? `, ${status.failedImages} failed` : ", none failed");
    $("request-rate").textContent = this.rateText(status);

    const webhook = $("request-webhook");
    if (status.webhook) {
      webhook.hidden = false;
      webhook.textContent = `Webhook ${status.webhook.status}` +
        (status.webhook.attempts > 0 ? ` after ${status.webhook.attempts} attempt(s)` : "") +
        (status.webhook.error ? `: ${status.webhook.error}` : "");
    } else {
      webhook.hidden = true;
    }

    if (isFinal(status.status)) {
      const download = $("request-download");
      download.setAttribute("href", `/csv/${this.id}`);
      download.setAttribute("download", `imgpress-${this.id}.csv`);
      download.removeAttribute("aria-disabled");
      download.removeAttribute("title");
      this.closeSource();
      clearTimeout(this.timer);
      this.connection("Finished.");
    }
  }

  // Images per second over the last few seconds while running; the overall average once final.
  sample(status) {
    const now = performance.now();
    this.samples.push({ t: now, n: status.processedImages });
    while (this.samples.length > 2 && now - this.samples[0].t > RATE_WINDOW_MS) this.samples.shift();
  }

  rateText(status) {
    if (isFinal(status.status)) {
      const seconds = (Date.parse(status.updatedAt) - Date.parse(status.createdAt)) / 1000;
      return seconds > 0 ? `Average ${(status.processedImages / seconds).toFixed(1)} images/s.` : "";
    }
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (this.samples.length < 2 || last.t - first.t < 1000) return "Rate: measuring…";
    return `Rate: ${((last.n - first.n) * 1000 / (last.t - first.t)).toFixed(1)} images/s.`;
  }

  // A page of products: rows already shown take the page's states (when newer); with `append`,
  // the products right after the last one shown are added.
  showPage(doc, append) {
    this.totalProducts = doc.totalProducts;
    const offset = doc.page * doc.size;
    const list = $("products");
    doc.products.forEach((product, i) => {
      const position = offset + i;
      if (position < this.loadedProducts) {
        for (const image of product.images) this.imageViews.get(image.imageId)?.(image);
      } else if (append && position === this.loadedProducts) {
        list.append(this.productView(product));
        this.loadedProducts++;
      }
    });
    const more = $("products-more");
    const left = this.totalProducts - this.loadedProducts;
    more.hidden = left <= 0;
    more.textContent = `Show more products (${left} more)`;
  }

  async showMore() {
    if (this.loadingMore || this.loadedProducts >= this.totalProducts) return;
    this.loadingMore = true;
    this.unplaced = new Map();
    const more = $("products-more");
    more.disabled = true;
    try {
      const doc = await this.fetchPage(Math.floor(this.loadedProducts / PRODUCTS_PER_PAGE), PRODUCTS_PER_PAGE);
      if (!doc || this.stopped) return;
      this.showPage(doc, true);
      // Changes that came while the page loaded; each row keeps whichever state is newer.
      for (const image of this.unplaced.values()) this.imageViews.get(image.imageId)?.(image);
    } catch (error) {
      this.connection(`Could not load more products (${error.message}).`);
    } finally {
      this.unplaced = null;
      this.loadingMore = false;
      more.disabled = false;
    }
  }

  productView(product) {
    const images = el("ul", { class: "images" });
    product.images.forEach((image, index) => images.append(this.imageView(product, image, index)));
    return el("li", { class: "product" },
      el("h3", { class: "product-title" },
        el("span", { class: "serial", text: `#${product.serialNumber}` }),
        document.createTextNode(" "),
        el("span", { text: product.productName })),
      images);
  }

  // Builds one image's row and registers, under its imageId, an updater that keeps the newest
  // state given (by changeNumber) and touches only what changed.
  imageView(product, image, index) {
    const label = `${product.productName}, image ${index + 1}`;
    const before = el("img", { loading: "lazy", width: 120, height: 90, class: "thumb", alt: `${label}, original (preview)` });
    const after = el("img", { loading: "lazy", width: 120, height: 90, class: "thumb", alt: `${label}, compressed` });
    const afterSlot = el("div", { class: "thumb-slot" });
    const badge = el("span", {});
    const detail = el("p", { class: "image-detail" });
    // Text only, never a link or an image: see safeImageUrl.
    const source = el("span", { class: "source-url", title: "Source URL (not loaded by this page)" });
    const beforeSlot = el("div", { class: "thumb-slot" });
    before.addEventListener("error", () =>
      beforeSlot.replaceChildren(el("span", { class: "placeholder small", text: "Preview not viewable" })));
    source.textContent = image.inputUrl;
    const row = el("li", { class: "image" },
      el("div", { class: "pair" },
        el("figure", {}, beforeSlot, el("figcaption", { text: "Before" })),
        el("span", { class: "arrow", "aria-hidden": "true", text: "→" }),
        el("figure", {}, afterSlot, el("figcaption", { text: "After" }))),
      el("div", { class: "image-info" }, badge, detail, source));

    let shown = -1;
    const update = (current) => {
      const number = current.changeNumber || 0;
      if (number <= shown) return;
      shown = number;
      setBadge(badge, current.status);
      row.dataset.status = current.status;
      const previewSrc = safeImageUrl(current.previewUrl);
      if (previewSrc) {
        if (before.getAttribute("src") !== previewSrc) before.src = previewSrc;
        if (before.parentNode !== beforeSlot) beforeSlot.replaceChildren(before);
      } else {
        const text = current.status === "failed" ? "—" : current.status === "completed" ? "No preview" : "…";
        beforeSlot.replaceChildren(el("span", { class: "placeholder small", text }));
      }
      const outputSrc = safeImageUrl(current.outputUrl);
      if (outputSrc) {
        if (after.getAttribute("src") !== outputSrc) after.src = outputSrc;
        afterSlot.replaceChildren(after);
      } else {
        afterSlot.replaceChildren(el("span", { class: "placeholder", text: current.status === "failed" ? "—" : "…" }));
      }
      detail.classList.toggle("error-text", current.status === "failed");
      if (current.status === "completed") {
        detail.textContent = [savedText(current.inputBytes, current.outputBytes),
          qualityText(current.quality)].filter(Boolean).join("; ");
      } else if (current.status === "failed") {
        detail.textContent = `Failed: ${current.error || "unknown error"}`;
      } else if (current.error) {
        detail.textContent = `Retrying after: ${current.error}`;
      } else {
        detail.textContent = current.status === "processing" ? "Compressing…" : "Waiting…";
      }
    };
    this.imageViews.set(image.imageId, update);
    update(image);
    return row;
  }
}

// The quality an image was written at, when the service tells it (the one chosen per image for
// automatic quality); older answers have none.
function qualityText(quality) {
  return Number.isInteger(quality) && quality > 0 ? `quality ${quality}` : "";
}

function savedText(inputBytes, outputBytes) {
  if (!inputBytes || outputBytes === null || outputBytes === undefined) return "";
  const change = Math.round(((inputBytes - outputBytes) * 100) / inputBytes);
  const verdict = change >= 0 ? `saved ${change}%` : `grew ${-change}%`;
  return `${formatBytes(inputBytes)} → ${formatBytes(outputBytes)} (${verdict})`;
}

$("products-more").addEventListener("click", () => watch && watch.showMore());

// Deletes the request shown, after the user confirms: its rows and its compressed images go.
$("request-delete").addEventListener("click", async () => {
  const id = $("request-id").textContent;
  const error = $("request-delete-error");
  error.hidden = true;
  if (!window.confirm(`Delete request ${id} and its compressed images? This cannot be undone.`)) {
    return;
  }
  try {
    const response = await api(`/requests/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (response.status === 204 || response.status === 404) {
      location.hash = "";
      return;
    }
    const problem = await readProblem(response);
    error.textContent = `Could not delete: ${problem.detail || problem.title}`;
  } catch {
    error.textContent = "Could not delete: the service cannot be reached.";
  }
  error.hidden = false;
});

// ---------------------------------------------------------------- routing

function showRequest(id) {
  $("home-view").hidden = true;
  $("request-view").hidden = false;
  $("request-body").hidden = false;
  $("request-missing").hidden = true;
  $("request-id").textContent = id;
  $("products").replaceChildren();
  $("products-more").hidden = true;
  setBadge($("request-status"), "loading");
  $("request-created").textContent = "";
  $("request-progress").value = 0;
  $("request-progress").removeAttribute("aria-valuetext");
  $("request-progress-text").textContent = "Loading…";
  $("request-rate").textContent = "";
  $("request-connection").textContent = "";
  $("request-webhook").hidden = true;
  $("request-delete-error").hidden = true;
  const download = $("request-download");
  download.removeAttribute("href");
  download.removeAttribute("download");
  download.setAttribute("aria-disabled", "true");
  download.setAttribute("title", "Available when every image is done");
  document.title = `Request ${id.slice(0, 8)} · imgpress`;
  if (!ID_PATTERN.test(id)) {
    watch = new RequestWatch(id);
    watch.missing();
    return;
  }
  watch = new RequestWatch(id);
  watch.start();
}

function showHome() {
  $("request-view").hidden = true;
  $("home-view").hidden = false;
  document.title = "imgpress";
  loadRecent();
}

function route(moveFocus) {
  if (watch) {
    watch.stop();
    watch = null;
  }
  const match = location.hash.match(/^#\/r\/([^/?#]+)$/);
  if (match) {
    showRequest(decodeURIComponent(match[1]));
    if (moveFocus) $("request-title").focus();
  } else {
    showHome();
    if (moveFocus) $("upload-title").focus();
  }
}

// With a key, the result CSV is fetched with it and saved from memory: a plain link cannot send
// the Authorization header. Without one the link downloads as usual.
$("request-download").addEventListener("click", async (event) => {
  const download = event.currentTarget;
  const href = download.getAttribute("href");
  if (!href || !storedKey()) return;
  event.preventDefault();
  const response = await api(href);
  if (!response.ok) {
    $("request-connection").textContent =
      `Could not download the result CSV: ${(await readProblem(response)).detail}`;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const save = el("a", { href: url, download: download.getAttribute("download") || "imgpress.csv" });
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});

// ?id=… links (for people who type them) become the hash route.
const queryId = new URLSearchParams(location.search).get("id");
if (queryId) history.replaceState(null, "", `/#/r/${encodeURIComponent(queryId)}`);

window.addEventListener("hashchange", () => route(true));
route(false);
