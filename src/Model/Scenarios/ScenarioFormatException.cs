namespace SockActors.Model.Scenarios;

/// <summary>A scenario line that does not follow the contract; the message names what is wrong.</summary>
/// <param name="message">What is wrong, naming the field.</param>
/// <param name="scenarioName">The scenario's name, when the line got that far.</param>
public sealed class ScenarioFormatException(string message, string? scenarioName = null) : Exception(message)
{
    /// <summary>The scenario's name when the line got far enough to have one.</summary>
    public string? ScenarioName { get; } = scenarioName;
}
