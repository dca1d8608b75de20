import type { ChannelName, EventName } from './contract/channels.js';
import type { ChannelInput, ChannelOutput, Result } from './contract/index.js';

/** The one object the page sees, as `window.cairn`. */
export interface CairnBridge {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  /** Subscribes to a main-process event; returns the function that unsubscribes. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}
