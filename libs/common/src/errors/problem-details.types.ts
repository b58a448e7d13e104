import { FieldError } from './app.exception';

/** An RFC 9457 problem document, with our stable `code` and the `requestId`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}
