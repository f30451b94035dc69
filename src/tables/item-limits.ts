/** DynamoDB's per-item limit, enforced on every write path (single, batch and transaction). */
import { itemSize, type Item } from './attribute-value.ts';
import { validation } from './errors.ts';

export const MAX_ITEM_BYTES = 400 * 1024;

export function checkItemSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
}
