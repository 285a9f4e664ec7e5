/** Directory replies as the bytes a socket writes, with user lists encoded once per version of the directory. */
import { encodeDirectoryMessage, type DirectoryReply, type DirectoryUser } from '@voip/protocol';

// Encodings of user lists, by the identity of the (frozen, shared) list: one encoding
// serves every LIST reply and presence push until the directory changes.
const listReplies = new WeakMap<readonly DirectoryUser[], Buffer>();
const presencePushes = new WeakMap<readonly DirectoryUser[], Buffer>();

/** A reply as the bytes to write; user lists are encoded once per version. */
export function encodeReply(message: DirectoryReply): Buffer | string {
  if (!('users' in message)) return encodeDirectoryMessage(message);
  const cache = 'event' in message ? presencePushes : listReplies;
  let bytes = cache.get(message.users);
  if (!bytes) {
    bytes = Buffer.from(encodeDirectoryMessage(message), 'utf8');
    if (Object.isFrozen(message.users)) cache.set(message.users, bytes);
  }
  return bytes;
}
