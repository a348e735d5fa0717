import type { CueExport } from '@contract/studio-api';

/** Offers an export as a file download (a Blob URL, revoked once the click has been handled). */
export function downloadExport(file: CueExport): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = file.filename;
  anchor.rel = 'noopener';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
