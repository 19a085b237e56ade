using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SharpBench.Tests.Support;

/// <summary>Compiles C# source into an app assembly against the framework, as <c>dotnet build</c> of an app would.</summary>
public static class AppCompiler
{
    public static byte[] Compile(string assemblyName, string source)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var references = platform.Append(typeof(Apps.App).Assembly.Location)
            .DistinctBy(Path.GetFileName, StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
            throw new InvalidOperationException("app source does not compile:\n" + string.Join("\n", result.Diagnostics));
        return image.ToArray();
    }
}
