// An error whose message is a complete sentence for the learner: the command line prints it
// as it is (no stack trace), and the extension shows it in a notification.

export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}
