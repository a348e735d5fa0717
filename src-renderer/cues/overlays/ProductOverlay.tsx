import { useState } from 'react';
import type { ProductCue } from './overlay-model';

/** A product card: image (when it loads), title, price, and a link that opens outside the player. */
export function ProductOverlay({ cue }: { cue: ProductCue }) {
  const [imageFailed, setImageFailed] = useState(false);
  return (
    <section className="cue-overlay cue-overlay-product" aria-label="Product" data-overlay="product" data-fid={cue.fid}>
      {cue.imageUrl && !imageFailed && <img src={cue.imageUrl} alt="" referrerPolicy="no-referrer" onError={() => setImageFailed(true)} />}
      <div>
        <h3>{cue.title}</h3>
        {cue.price && <p className="cue-overlay-price">{cue.price}</p>}
        {cue.link && (
          <a href={cue.link} target="_blank" rel="noopener noreferrer">
            View product
          </a>
        )}
      </div>
    </section>
  );
}
