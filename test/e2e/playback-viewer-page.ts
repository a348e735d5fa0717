/**
 * A viewer page on another origin: a tiny HTTP server (its own port, so its origin differs from the
 * playback server's) serving an HTML page that plays `?src=` with hls.js from node_modules. The page
 * records what a viewer would see in `window.viewer`: playback time, hls.js errors, and the IVS
 * timed-metadata cues (ID3 PRIV owned by metadata.live-video.net) as they become active.
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
  video.addEventListener('playing', () => { viewer.playing = true; });
  hls.loadSource(params.get('src'));
  hls.attachMedia(video);
  video.play().catch(() => {});
</script>
</body></html>`;

export interface ViewerOrigin {
  origin: string;
  pageUrl(src: string, config?: 'low-latency' | 'default'): string;
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
    pageUrl: (src, config = 'low-latency') => `${origin}/?config=${config}&src=${encodeURIComponent(src)}`,
    async dispose() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
