/**
 * LOAD DATA LOCAL text sent without a copy. mysql2 sends each chunk of the client's file as one
 * packet, and for that allocates a new buffer of the chunk's size plus its 4-byte header and
 * copies the chunk into it: for the bulk copy that is ~1 GB of new memory outside V8's heap per
 * 1M rows, which made V8 run a scavenge for "external memory pressure" every ~2 s (BENCHMARKS.md,
 * issue 16, second round). The bytes path makes its text in pooled buffers with room for the
 * header before each chunk (load-data-text.ts, rawLoadData): such a chunk is sent as it is, the
 * header written into that room. Any other chunk is copied, as mysql2 does.
 *
 * The hook (sendInfileInPlace) takes the place of mysql2's Query._streamLocalInfile for one LOAD
 * DATA statement (watched-client.ts); it does what mysql2 3.x does there, the copy aside.
 * test/db/row-writer.test.ts and test/db/raw-rows.test.ts load through it.
 */
import type { Readable } from 'node:stream';

/** A protocol packet's header: 3 bytes of length, 1 of sequence number. */
export const PACKET_HEADER_BYTES = 4;

/** Chunks with PACKET_HEADER_BYTES free (and not referred to by anything) before them in their buffer. */
const roomy = new WeakSet<Buffer>();

/** Marks `chunk` as having PACKET_HEADER_BYTES of its buffer free before it; returns it. */
export function withPacketRoom(chunk: Buffer): Buffer {
  if (chunk.byteOffset < PACKET_HEADER_BYTES)
    throw new RangeError('withPacketRoom: no room before the chunk');
  roomy.add(chunk);
  return chunk;
}

/**
 * A packet as mysql2's connection.writePacket takes it (the shape of its Packet class, which its
 * package does not export): the whole packet in `buffer`, its first 4 bytes the header.
 */
class InfilePacket {
  constructor(readonly buffer: Buffer) {}

  length(): number {
    return this.buffer.length;
  }

  writeHeader(sequenceId: number): void {
    const size = this.buffer.length - PACKET_HEADER_BYTES;
    this.buffer[0] = size & 0xff;
    this.buffer[1] = (size >> 8) & 0xff;
    this.buffer[2] = (size >> 16) & 0xff;
    this.buffer[3] = sequenceId;
  }
}

/** The packet that sends `chunk`: over its buffer when it has the room, else over a copy. */
function packetOf(chunk: Buffer): InfilePacket {
  if (roomy.has(chunk)) {
    return new InfilePacket(
      Buffer.from(chunk.buffer, chunk.byteOffset - PACKET_HEADER_BYTES, chunk.length + PACKET_HEADER_BYTES),
    );
  }
  const copy = Buffer.allocUnsafe(chunk.length + PACKET_HEADER_BYTES);
  chunk.copy(copy, PACKET_HEADER_BYTES);
  return new InfilePacket(copy);
}

/** The empty packet that ends the file. */
const emptyPacket = () => new InfilePacket(Buffer.alloc(PACKET_HEADER_BYTES));

/** What the hook uses of mysql2's connection. */
interface InfileConnection {
  stream: {
    on(event: string, listener: () => void): unknown;
    removeListener(event: string, listener: () => void): unknown;
  };
  writePacket(packet: InfilePacket): void;
  once(event: 'error', listener: () => void): unknown;
  removeListener(event: 'error', listener: () => void): unknown;
}

/** The part of mysql2's Query command the hook reads and sets. */
interface InfileQuery {
  _streamFactory?: (path: string) => Readable;
  _localStream?: Readable;
  _localStreamError?: unknown;
  _unpipeStream?: () => void;
  infileOk: unknown;
  _streamLocalInfile(connection: InfileConnection, path: string): unknown;
}

/**
 * Makes `command` (a mysql2 Query) send its LOCAL INFILE stream's chunks in place where they
 * have the room (see the header). Without a stream factory mysql2's own code runs (it refuses).
 */
export function sendInfileInPlace(command: object): void {
  const query = command as InfileQuery;
  const own = query._streamLocalInfile;
  query._streamLocalInfile = function (this: InfileQuery, connection: InfileConnection, path: string) {
    if (!this._streamFactory) return own.call(this, connection, path);
    const stream = this._streamFactory(path);
    this._localStream = stream;
    const onConnectionError = () => this._unpipeStream?.();
    const onDrain = () => stream.resume();
    const onPause = () => stream.pause();
    const onData = (chunk: Buffer) => connection.writePacket(packetOf(chunk));
    const onEnd = () => {
      connection.removeListener('error', onConnectionError);
      connection.writePacket(emptyPacket());
    };
    const onError = (error: unknown) => {
      this._localStreamError = error;
      connection.removeListener('error', onConnectionError);
      connection.writePacket(emptyPacket());
    };
    this._unpipeStream = () => {
      connection.stream.removeListener('pause', onPause);
      connection.stream.removeListener('drain', onDrain);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    connection.stream.on('pause', onPause);
    connection.stream.on('drain', onDrain);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    connection.once('error', onConnectionError);
    return this.infileOk;
  };
}
