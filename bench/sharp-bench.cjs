// Times sharp over a set of image files, as bench/codec.sh's counterpart of CodecBench: files read
// first, an untimed warm-up pass, then PASSES timed passes of
// sharp(buf).jpeg({quality}).toBuffer() (or .webp / .avif). Prints one "RESULT key=value ..." line.
//
//   [FORMAT=jpeg|webp|avif] node bench/sharp-bench.cjs SHARP_PREFIX MODE QUALITY PASSES FILE...
//
// FORMAT (default jpeg) picks the output; the options are written out, at sharp's defaults, because
// imgpress's native engine uses the same ones (VipsCall.webpsave / avifsave), so both sides do the
// same work: webp {quality, effort: 4, smartSubsample: false}; avif {quality, effort: 4,
// chromaSubsampling: '4:4:4'} (8-bit). sharp strips metadata by default, as imgpress does.
//
// MODE "c1": sharp.concurrency(1) (one libvips thread per image) and 2 images in flight, matching
//            imgpress's 2 workers.
// MODE "defaults": sharp's own defaults, every image of a pass in flight at once.
'use strict';
const fs = require('node:fs');
const [prefix, mode, qualityArg, passesArg, ...files] = process.argv.slice(2);
const sharp = require(require.resolve('sharp', { paths: [prefix] }));
const quality = Number(qualityArg);
const passes = Number(passesArg);
const format = process.env.FORMAT || 'jpeg';
const encoders = {
  jpeg: (image) => image.jpeg({ quality }),
  webp: (image) => image.webp({ quality, effort: 4, smartSubsample: false }),
  avif: (image) => image.avif({ quality, effort: 4, chromaSubsampling: '4:4:4' }),
};
const encode = encoders[format];
if (!encode) {
  throw new Error(`unknown FORMAT ${format}`);
}

if (mode === 'c1') {
  sharp.concurrency(1);
} else if (mode !== 'defaults') {
  throw new Error(`unknown mode ${mode}`);
}
const inFlight = mode === 'c1' ? 2 : files.length;

async function run(inputs, times) {
  const queue = [];
  for (let pass = 0; pass < times; pass++) queue.push(...inputs);
  let next = 0;
  let outBytes = 0;
  let failed = 0;
  async function worker() {
    while (next < queue.length) {
      const input = queue[next++];
      try {
        const out = await encode(sharp(input)).toBuffer();
        outBytes += out.length; // not "outBytes += await …": that reads outBytes before awaiting
      } catch (e) {
        failed++;
        console.error(`failed: ${e.message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, queue.length) }, worker));
  return { outBytes: outBytes / times, failed };
}

function peakRssMb() {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/[^0-9]/g, '')) / 1024 : -1;
}

(async () => {
  const inputs = files.map((f) => fs.readFileSync(f));
  const inBytes = inputs.reduce((sum, b) => sum + b.length, 0);
  let pixels = 0;
  for (const input of inputs) {
    const { width, height } = await sharp(input).metadata();
    pixels += width * height;
  }
  const warm = await run(inputs, 1);
  const cpuStart = process.cpuUsage(); // the whole process: main thread and libuv/libvips threads
  const start = process.hrtime.bigint();
  const timed = await run(inputs, passes);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  console.log(
    `RESULT engine=${mode === 'c1' ? 'sharp' : 'sharp-defaults'} threads=${inFlight}` +
      ` concurrency=${sharp.concurrency()} format=${format} quality=${quality} passes=${passes} images=${inputs.length}` +
      ` mp=${(pixels / 1e6).toFixed(3)} in_bytes=${inBytes} out_bytes=${warm.outBytes}` +
      ` seconds=${seconds.toFixed(4)} cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(3)} failed=${warm.failed + timed.failed} rss_mb=${peakRssMb().toFixed(1)}` +
      ` sharp=${sharp.versions.sharp} vips=${sharp.versions.vips}`,
  );
})();
