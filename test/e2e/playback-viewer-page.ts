/**
 * A viewer page on another origin: a tiny HTTP server (its own port, so its origin differs from the
 * playback server's) serving an HTML page that plays `?src=` with hls.js from node_modules. The page
 * records what a viewer would see in `window.viewer`: playback time, hls.js errors, and the IVS
 * timed-metadata cues (ID3 PRIV owned by metadata.live-video.net) as they become active.
 *
 * For the latency benchmark: `&barcode=1` reads a 24-bit wall-clock barcode (ms mod 2^24, 12 px per
 * bit, top-left 288x16, burned in by ffmpeg at capture) from every displayed frame and records
 * display time − capture time; `&seek=1` seeks once to hls.liveSyncPosition 2 s after playback starts
 * (what a player that wants hls.js's target latency does).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const HLS_JS = path.resolve(__dirname, '..', '..', 'node_modules', 'hls.js', 'dist', 'hls.min.js');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>viewer</title></head>
<body>
<video id="video" muted autoplay playsinline width="320" height="180"></video>
<script src="/hls.min.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  const video = document.getElementById('video');
  const viewer = (window.viewer = { cues: [], errors: [], fatal: null, metadataSamples: 0, playing: false });
  const config = params.get('config') === 'default' ? {} : { lowLatencyMode: true };
  if (params.get('debug') === '1') config.debug = true;
  const hls = new Hls(config);
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    viewer.errors.push({ details: data.details, fatal: data.fatal, code: data.response ? data.response.code : undefined });
    if (data.fatal) viewer.fatal = { details: data.details, code: data.response ? data.response.code : undefined };
  });
  hls.on(Hls.Events.FRAG_PARSING_METADATA, (_event, data) => { viewer.metadataSamples += data.samples.length; });
  const seen = new Set();
  function watch(track) {
    if (track.kind !== 'metadata') return;
    track.mode = 'hidden';
    track.addEventListener('cuechange', () => {
      for (const cue of Array.from(track.activeCues || [])) {
        const value = cue.value;
        if (!value || value.key !== 'PRIV' || value.info !== 'metadata.live-video.net') continue;
        const text = new TextDecoder().decode(value.data);
        const key = cue.startTime + '|' + text;
        if (seen.has(key)) continue;
        seen.add(key);
        viewer.cues.push({ text, startTime: cue.startTime, shownAt: Date.now(), currentTime: video.currentTime });
      }
    });
  }
  for (const track of Array.from(video.textTracks)) watch(track);
  video.textTracks.addEventListener('addtrack', (event) => watch(event.track));
  video.addEventListener('playing', () => {
    if (viewer.playing) return;
    viewer.playing = true;
    if (params.get('seek') === '1') setTimeout(() => { if (hls.liveSyncPosition) video.currentTime = hls.liveSyncPosition; viewer.seekedAt = Date.now(); }, 2000);
  });
  if (params.get('barcode') === '1') {
    viewer.latencies = [];
    viewer.hlsLatencies = [];
    const canvas = document.createElement('canvas');
    canvas.width = 288;
    canvas.height = 16;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const onFrame = (_now, metadata) => {
      const shownAt = performance.timeOrigin + metadata.expectedDisplayTime;
      context.drawImage(video, 0, 0, 288, 16, 0, 0, 288, 16);
      const pixels = context.getImageData(0, 0, 288, 16).data;
      let value = 0;
      for (let bit = 0; bit < 24; bit++) {
        const at = (8 * 288 + bit * 12 + 6) * 4;
        if (pixels[at] > 128) value += 2 ** bit;
      }
      const latency = (((Math.round(shownAt) % 16777216) - value) + 16777216) % 16777216;
      viewer.latencies.push({ at: Date.now(), latency });
      if (hls.latency) viewer.hlsLatencies.push(hls.latency * 1000);
      viewer.targetLatency = hls.targetLatency;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }
  hls.loadSource(params.get('src'));
  hls.attachMedia(video);
  video.play().catch(() => {});
</script>
</body></html>`;

export interface ViewerOrigin {
  origin: string;
  pageUrl(src: string, config?: 'low-latency' | 'default', extra?: { barcode?: boolean; seek?: boolean }): string;
  dispose(): Promise<void>;
}

export async function startViewerOrigin(): Promise<ViewerOrigin> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://viewer');
    if (url.pathname === '/hls.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      fs.createReadStream(HLS_JS).pipe(res);
    } else if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" for the page while playback is on 127.0.0.1: a different origin even on the same host.
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: (src, config = 'low-latency', extra = {}) =>
      `${origin}/?config=${config}${extra.barcode ? '&barcode=1' : ''}${extra.seek ? '&seek=1' : ''}&src=${encodeURIComponent(src)}`,
    async dispose() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
