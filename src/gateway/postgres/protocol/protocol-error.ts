/**
 * A violation of the wire protocol by the peer: the gateway answers it with a FATAL ErrorResponse carrying
 * `code` (08P01 protocol_violation unless said otherwise) and closes the connection, forwarding nothing.
 */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code: string = '08P01',
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
