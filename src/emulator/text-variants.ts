/** One way of rewriting a template's text, so the sample exercises every character class a CSV writer meets. */
export interface TextVariant {
  name: string;
  /** Relative frequency in the generated sample. */
  weight: number;
  rewrite(text: string): string;
  /** Overrides the template's `lang` when the new text is in another language. */
  lang?: string;
}

/** The text variants of generated tweets: emoji, CJK, RTL, newlines, quotes, commas, a lone CR, NA and null. */
export const TEXT_VARIANTS: readonly TextVariant[] = [
  { name: 'original', weight: 24, rewrite: (text) => text },
  { name: 'emoji', weight: 3, rewrite: (text) => `${text} 😀🎉👍🏽` },
  { name: 'japanese', weight: 2, lang: 'ja', rewrite: () => '今日はいい天気ですね。東京タワーに行きます 🗼' },
  { name: 'korean', weight: 2, lang: 'ko', rewrite: () => '오늘 콘서트 정말 최고였어요! 💜 #방탄소년단' },
  { name: 'chinese', weight: 1, lang: 'zh', rewrite: (text) => `你好，世界！${text}` },
  { name: 'arabic', weight: 1, lang: 'ar', rewrite: () => 'مرحبا بالعالم، هذا اختبار للنص 🌙' },
  { name: 'hebrew', weight: 1, lang: 'iw', rewrite: () => 'שלום עולם! "ציטוט", ועוד' },
  { name: 'newlines', weight: 2, rewrite: (text) => `${text}\nsecond line\n\nfourth line` },
  { name: 'quotes-commas', weight: 2, rewrite: (text) => `He said "yes, no, maybe", then: ${text}` },
  { name: 'lone-cr', weight: 1, rewrite: (text) => `before\rafter ${text}` },
  { name: 'na', weight: 1, rewrite: () => 'NA' },
  { name: 'null', weight: 1, rewrite: () => 'null' },
  { name: 'zwj-flags', weight: 1, rewrite: (text) => `👩‍👩‍👧 🇪🇨 🏳️‍🌈 ${text}` },
  { name: 'combining', weight: 1, rewrite: (text) => `Cafe\u0301 Ame\u0301lie ${text}` },
];
