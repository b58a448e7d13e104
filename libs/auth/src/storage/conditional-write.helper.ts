import { isConditionalCheckFailed } from '@app/dynamo';

/**
 * Awaits a conditional write: true when it was applied, false when its condition did not hold.
 * Without transactions every invariant rests on such writes, so the refusal is an answer, while
 * any other error (the database down, say) still propagates.
 */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;

    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      return false;
    }
    throw error;
  }
}
