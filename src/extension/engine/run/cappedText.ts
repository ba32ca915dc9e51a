// Collects a stream's text up to a cap, remembering whether anything was cut, so a
// program that prints without end cannot exhaust the host's memory.

import { StringDecoder } from 'node:string_decoder';

export class CappedText {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  truncated = false;

  constructor(private readonly maxChars: number) {}

  /** Appends a chunk and returns its decoded text (whole, for streaming even past the cap). */
  append(chunk: Buffer): string {
    const decoded = this.decoder.write(chunk);
    this.keep(decoded);
    return decoded;
  }

  finish(): string {
    this.keep(this.decoder.end());
    return this.text;
  }

  private keep(decoded: string): void {
    const room = this.maxChars - this.text.length;
    if (decoded.length <= room) {
      this.text += decoded;
    } else {
      this.text += decoded.slice(0, Math.max(0, room));
      this.truncated = true;
    }
  }
}
