/** The pure rule pairing a message from the directory with the request waiting for a reply. */
import { ACK, type DecodedReply } from '@voip/protocol';

/** The requests a directory client sends. */
export type RequestCommand = 'REG' | 'GET' | 'LIST' | 'WATCH' | 'DISCONNECT' | 'PING';

/** What a message from the directory means for the request waiting for its reply. */
export type ReplyVerdict =
  /** The reply answers the request. */
  | { readonly kind: 'answer' }
  /** The request was understood and refused. */
  | { readonly kind: 'refused'; readonly code: 'name-refused' | 'server-error'; readonly reason?: string }
  /** LIST, WATCH or PING got a reply of another kind: the server does not offer them. */
  | { readonly kind: 'unsupported' }
  /** A pushed presence event: never a reply (except the first one, to WATCH). */
  | { readonly kind: 'push' }
  /** A reply of the wrong kind (stale or late): dropped, the request keeps waiting. */
  | { readonly kind: 'discard'; readonly detail: string };

// Our server's answer to a command it does not know (PROTOCOL.md section 1).
const UNKNOWN_COMMAND = 'unknown command';

function describe(reply: DecodedReply): string {
  switch (reply.kind) {
    case 'ack':
      return `{"ack": ${JSON.stringify(reply.ack)}}`;
    case 'address':
      return 'an address reply';
    case 'users':
      return 'a user list';
    case 'presence':
      return 'a presence event';
  }
}

/**
 * Sorts a message from the directory against the request waiting for a reply
 * (`undefined` when none waits). Pure: the client acts on the verdict.
 *
 * A classic server (PROTOCOL.md section 1, last rule) answers a command it does not
 * know with the last reply it sent, so for LIST and WATCH a reply of another kind
 * means "unsupported"; for other requests it is stale or late, and is discarded,
 * except DISCONNECT to a `server` known to be classic: the reference server answers
 * it with its previous reply again, so any reply answers it.
 */
export function matchReply(command: RequestCommand | undefined, reply: DecodedReply, server: 'ours' | 'classic' = 'ours'): ReplyVerdict {
  if (reply.kind === 'presence') return command === 'WATCH' ? { kind: 'answer' } : { kind: 'push' };
  if (command === undefined) return { kind: 'discard', detail: `${describe(reply)} came while no request was waiting` };
  const wrong: ReplyVerdict = { kind: 'discard', detail: `${describe(reply)} does not answer ${command}` };
  switch (command) {
    case 'REG':
      if (reply.kind !== 'ack') return wrong;
      if (reply.ack === ACK.registered) return { kind: 'answer' };
      if (reply.ack === ACK.registerFailed) return refused('name-refused', reply.reason);
      if (reply.ack === ACK.error) return refused('server-error', reply.reason);
      return wrong;
    case 'GET':
      if (reply.kind === 'address') return { kind: 'answer' };
      // Our server refuses GET from a connection that holds no name.
      if (reply.kind === 'ack' && reply.ack === ACK.error && reply.reason !== undefined) return refused('server-error', reply.reason);
      return wrong;
    case 'DISCONNECT':
      if (reply.kind === 'ack' && reply.ack === ACK.disconnected) return { kind: 'answer' };
      // Our server refuses to DISCONNECT a name held by another connection.
      if (reply.kind === 'ack' && reply.ack === ACK.error && reply.reason !== undefined) return refused('server-error', reply.reason);
      // The classic server answers DISCONNECT with the previous reply again (and never gives a reason).
      return server === 'classic' ? { kind: 'answer' } : wrong;
    case 'LIST':
    case 'WATCH':
      if (reply.kind === 'users') return command === 'LIST' ? { kind: 'answer' } : { kind: 'unsupported' };
      // A server that knows the command but refuses it (e.g. before REG) says why;
      // a stale classic reply or "unknown command" means the command is not offered.
      if (reply.kind === 'ack' && reply.ack === ACK.error && reply.reason !== undefined && reply.reason !== UNKNOWN_COMMAND) {
        return refused('server-error', reply.reason);
      }
      return { kind: 'unsupported' };
    case 'PING':
      return reply.kind === 'ack' && reply.ack === ACK.pong ? { kind: 'answer' } : { kind: 'unsupported' };
  }
}

function refused(code: 'name-refused' | 'server-error', reason: string | undefined): ReplyVerdict {
  return reason === undefined ? { kind: 'refused', code } : { kind: 'refused', code, reason };
}
