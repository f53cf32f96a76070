/**
 * Typed errors (STYLE habit 4). Services and routes throw these; only the error handler turns
 * them into a status code and a Chinese page. `userMessage` is safe to show as it is; anything
 * that is not an AppError is a bug and is shown as a generic 500 without details.
 */

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Simplified Chinese, shown to the user as it is. */
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = new.target.name;
  }
}

/** Also for other people's ids: a foreign id answers 404, never 403 (SPEC §7). */
export class NotFound extends AppError {
  constructor(message = '页面不存在或无权访问') {
    super(404, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = '无权执行此操作') {
    super(403, message);
  }
}

/** A lost race or a repeated action: the row was not in the state the action expected. */
export class Conflict extends AppError {
  constructor(message = '该信息已被处理') {
    super(409, message);
  }
}

/**
 * A form that did not validate. Carries an error per field (field code name → Chinese message)
 * and the values as typed, so the same form is re-rendered with nothing lost.
 */
export class ValidationFailed extends AppError {
  constructor(
    readonly errors: Readonly<Record<string, string>>,
    readonly values: Readonly<Record<string, unknown>> = {},
    message = '填写的内容有误，请按提示修改',
  ) {
    super(422, message);
  }
}

/** A malformed request that no form produces (missing or wrongly typed parameters). */
export class BadRequest extends AppError {
  constructor(message = '请求格式不正确') {
    super(400, message);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
