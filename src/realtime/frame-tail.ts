/**
 * The part of a data frame that every subscriber of a group gets for one message: everything
 * after the subscription's id. A fan-out hands one message's payload text to the subscribers of a
 * group one after the other, so a memo of the last message builds that part once per message and
 * group instead of once per subscriber, and a subscriber's frame is its own prefix (built once,
 * when it subscribes) followed by it.
 *
 * Concurrency contract: none needed (the event loop); the memo is a pure function of its inputs,
 * so it is shared by every connection of a protocol.
 */
export type FrameTail = (json: string, offset: number) => string;

export function memoizedTail(build: FrameTail): FrameTail {
  let lastJson: string | undefined;
  let lastOffset = -1;
  let last = '';
  return (json, offset) => {
    // The same string object in a fan-out: compared by reference before any character is read.
    if (json !== lastJson || offset !== lastOffset) {
      last = build(json, offset);
      lastJson = json;
      lastOffset = offset;
    }
    return last;
  };
}
