using Akka.TestKit;

namespace SockActors.TestKit;

/// <summary>A SockActors test expectation that did not hold; the message says what was expected and what happened.
/// Every test framework reports it as a failure.</summary>
public sealed class SockActorsAssertionException(string message) : Exception(message);

/// <summary>Akka.TestKit's assertions without a test framework behind them (ExpectMsg and friends fail with a
/// <see cref="SockActorsAssertionException"/>), so <see cref="SockActorsTestKit"/> runs under any of them.</summary>
public sealed class SockActorsAssertions : ITestKitAssertions
{
    /// <summary>The one instance (the class has no state).</summary>
    public static readonly SockActorsAssertions Instance = new();

    /// <inheritdoc/>
    public void Fail(string format = "", params object[] args) => throw new SockActorsAssertionException(Format(format, args));

    /// <inheritdoc/>
    public void AssertTrue(bool condition, string format = "", params object[] args)
    {
        if (!condition) Fail(format, args);
    }

    /// <inheritdoc/>
    public void AssertFalse(bool condition, string format = "", params object[] args)
    {
        if (condition) Fail(format, args);
    }

    /// <inheritdoc/>
    public void AssertEqual<T>(T expected, T actual, string format = "", params object[] args)
        => AssertEqual(expected, actual, EqualityComparer<T>.Default.Equals, format, args);

    /// <inheritdoc/>
    public void AssertEqual<T>(T expected, T actual, Func<T, T, bool> comparer, string format = "", params object[] args)
    {
        if (!comparer(expected, actual))
            throw new SockActorsAssertionException($"expected {expected}, got {actual}" + (format.Length > 0 ? ": " + Format(format, args) : ""));
    }

    /// <inheritdoc/>
    public Exception AssertThrows(Action action) => AssertThrows<Exception>(action);

    /// <inheritdoc/>
    public TException AssertThrows<TException>(Action action) where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException e)
        {
            return e;
        }
        throw new SockActorsAssertionException($"expected {typeof(TException).Name}, nothing was thrown");
    }

    /// <inheritdoc/>
    public Task<Exception> AssertThrowsAsync(Func<Task> func) => AssertThrowsAsync<Exception>(func);

    /// <inheritdoc/>
    public async Task<TException> AssertThrowsAsync<TException>(Func<Task> func) where TException : Exception
    {
        try
        {
            await func();
        }
        catch (TException e)
        {
            return e;
        }
        throw new SockActorsAssertionException($"expected {typeof(TException).Name}, nothing was thrown");
    }

    private static string Format(string format, object[] args) => args.Length == 0 ? format : string.Format(format, args);
}
