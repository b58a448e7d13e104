import { Query } from 'dynamoose/dist/ItemRetriever';
import { CursorKey } from '../pagination/page-cursor.codec';

/** One page of a query as records, with the key to resume after it (none on the last page). */
export async function queryPage<I, R>(
  query: Query<I>,
  limit: number,
  startKey: CursorKey | undefined,
  toRecord: (item: I) => R,
): Promise<{ items: R[]; lastKey?: CursorKey }> {
  const result = await query.limit(limit).startAt(startKey).exec();

  return { items: result.map(toRecord), lastKey: result.lastKey };
}
