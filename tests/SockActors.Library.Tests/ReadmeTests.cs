namespace SockActors.Library.Tests;

/// <summary>The README's first test is FirstTest.cs, word for word, so it compiles and runs with this project.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_readme_first_test_is_the_compiled_FirstTest_file()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        const string begin = "<!-- first-test: tests/SockActors.Library.Tests/FirstTest.cs -->\n```csharp\n";
        int start = readme.IndexOf(begin, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no first-test block");
        start += begin.Length;
        string block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        string file = File.ReadAllText(Path.Combine(Repository.Root, "tests", "SockActors.Library.Tests", "FirstTest.cs"));
        Assert.Equal(file.ReplaceLineEndings("\n").Trim(), block.ReplaceLineEndings("\n").Trim());
    }
}
