// Client-safe like posts/choices.ts: the palette forms offer, tied to
// db/schema.ts by type only (routes never import db/).
import type { TagColor } from '../../../db/schema.js';

export const TAG_COLOR_CHOICES = ['slate', 'blue', 'green', 'amber', 'red', 'violet', 'teal', 'pink'] as const satisfies readonly TagColor[];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const everyColorListed: Missing<TagColor, (typeof TAG_COLOR_CHOICES)[number]> = true;
void everyColorListed;

/** A tag as badges show it: its name in the reader's language; the colour is decoration only. */
export interface TagView {
  id: string;
  slug: string;
  name: string;
  color: TagColor;
}
