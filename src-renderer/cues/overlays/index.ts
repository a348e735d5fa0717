/** The cue board's overlays, for any player: parse a payload, fold it into state, render the state. */
export { CueOverlays, type CueOverlaysProps } from './CueOverlays';
export { PollOverlay } from './PollOverlay';
export { ProductOverlay } from './ProductOverlay';
export { QuizOverlay } from './QuizOverlay';
export { ChapterOverlay } from './ChapterOverlay';
export { CountdownOverlay } from './CountdownOverlay';
export * from './overlay-model';
