/* Status codes and error reporting for the tfm micro interpreter.
 *
 * Every fallible function returns a tfm_status. Errors carry a one-line message
 * kept in the interpreter (no allocation); TFM_ENSURE records file:line too. */
#ifndef TFM_STATUS_H
#define TFM_STATUS_H

typedef enum tfm_status {
  TFM_OK = 0,
  TFM_ERROR = 1,             /* generic failure inside a kernel or the runtime */
  TFM_BAD_MODEL = 2,         /* the flatbuffer is malformed, truncated or hostile */
  TFM_UNSUPPORTED = 3,       /* op, op version, type or feature not supported */
  TFM_ARENA_TOO_SMALL = 4,   /* the caller's arena cannot hold the plan */
  TFM_BAD_ARGUMENT = 5,      /* a caller passed an invalid argument */
  TFM_BAD_STATE = 6          /* API called out of order (e.g. invoke before allocate) */
} tfm_status;

/* Short stable name of a status ("OK", "BAD_MODEL", ...). */
const char *tfm_status_name(tfm_status status);

#endif /* TFM_STATUS_H */
