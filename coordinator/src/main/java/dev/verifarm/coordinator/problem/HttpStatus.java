package dev.verifarm.coordinator.problem;

/** The HTTP status each kind of bad input is answered with, by the API and the dashboard alike. */
public final class HttpStatus {

    private HttpStatus() {
    }

    public static int of(InvalidInputException e) {
        return e instanceof NotFoundException ? 404
                : e instanceof TooLargeException || e instanceof OverQuotaException ? 413
                : e instanceof InsufficientStorageException ? 507
                : e instanceof TooManyException ? 429 : e instanceof ForbiddenException ? 403
                : e instanceof UnauthenticatedException ? 401 : e instanceof ConflictException ? 409 : 400;
    }
}
