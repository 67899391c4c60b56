/**
 * Runs a conditional write: true when it was made, false when its condition did not hold
 * (`ConditionalCheckFailedException`); any other error is thrown.
 */
export async function writtenIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
