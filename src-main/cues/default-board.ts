/**
 * The board a new studio starts with: one cue of each template on a page, with hotkeys 1–7, so the
 * first rehearsal can fire something and a producer sees how each template looks before writing their own.
 */
import type { Cue, CueBoard } from '../contract/domains/cues';

export function defaultBoard(id = 'show'): CueBoard {
  const cue = (c: Omit<Cue, 'variables' | 'burst' | 'lateJoiners'> & Partial<Pick<Cue, 'variables' | 'burst' | 'lateJoiners'>>): Cue => ({
    variables: [],
    burst: 'queue',
    lateJoiners: false,
    ...c,
  });
  return {
    id,
    name: 'Show',
    show: 'My show',
    pages: [
      {
        id: 'main',
        name: 'Main',
        columns: 4,
        cues: [
          cue({
            id: 'poll',
            name: 'Poll: favourite',
            color: '#2563eb',
            hotkey: '1',
            template: { kind: 'poll', question: 'Which one do you like best?', options: ['Red', 'Green', 'Blue'] },
            lateJoiners: true,
            burst: 'coalesce',
          }),
          cue({
            id: 'product',
            name: 'Product card',
            color: '#16a34a',
            hotkey: '2',
            template: { kind: 'product', title: 'Studio mug', price: '{{price}}', imageUrl: 'https://example.com/mug.jpg', link: 'https://example.com/mug' },
            variables: [{ name: 'price', type: 'text', label: 'Price', defaultValue: '€12' }],
            lateJoiners: true,
            burst: 'coalesce',
          }),
          cue({
            id: 'quiz',
            name: 'Quiz question',
            color: '#9333ea',
            hotkey: '3',
            template: { kind: 'quiz', question: 'How many channels can one stream key publish to?', answers: ['One', 'Two', 'Any'] },
            lateJoiners: true,
          }),
          cue({ id: 'chapter', name: 'Chapter mark', color: '#ea580c', hotkey: '4', template: { kind: 'chapter', title: 'Chapter {{counter}}' }, lateJoiners: true }),
          cue({ id: 'countdown', name: 'Countdown 60 s', color: '#dc2626', hotkey: '5', template: { kind: 'countdown', label: 'Back in', seconds: 60 }, lateJoiners: true, burst: 'coalesce' }),
          cue({ id: 'clear', name: 'Clear overlays', color: '#475569', hotkey: '6', template: { kind: 'clear' }, burst: 'coalesce' }),
          cue({ id: 'note', name: 'Free text', color: '#0891b2', hotkey: '7', template: { kind: 'text', text: 'note {{counter}} at {{now}}' } }),
        ],
      },
    ],
  };
}
