using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SockActors.Host.Explain;

/// <summary>The picture's data as JSON for other tools (`explain --json`): snake_case names, nulls left out.</summary>
public static class ExplainJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Serialize(IReadOnlyList<ExplainPicture> pictures) =>
        pictures.Count == 1 ? JsonSerializer.Serialize(pictures[0], Options) : JsonSerializer.Serialize(pictures, Options);
}
