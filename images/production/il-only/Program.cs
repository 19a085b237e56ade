// Drops the ReadyToRun (precompiled) code from the runtime pack's assemblies that no role loads
// while it starts or serves, keeping their IL. Every framework assembly and API stays in the image,
// so an app loaded at run time may call any of them; it only pays the JIT for the cold ones, as
// any IL does. A ReadyToRun assembly is about 2.5x its IL: this takes 28 MB off the image.
//
//   il-only DIR KEEP-LIST [DIR...]   rewrites the first DIR's *.dll in place, except the names in
//                                    KEEP-LIST; the other DIRs hold what they reference (bench's)
//
// Each file keeps its time (the runtime's layer stays the same from build to build), and the
// rewrite is checked: the same types, methods and IL body sizes as before, or it fails.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Mono.Cecil;
using ModuleDefinition = Mono.Cecil.ModuleDefinition;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: il-only DIR KEEP-LIST [DIR...]");
    return 2;
}
var dir = args[0];
var keep = File.ReadAllLines(args[1])
    .Select(l => l.Split('#')[0].Trim())
    .Where(l => l.Length > 0)
    .ToHashSet(StringComparer.Ordinal);
long before = 0, after = 0;
var rewritten = 0;
var resolver = new DefaultAssemblyResolver();
foreach (var search in args.Skip(2).Prepend(dir))
{
    resolver.AddSearchDirectory(search);
}
foreach (var path in Directory.GetFiles(dir, "*.dll").Order(StringComparer.Ordinal))
{
    var name = Path.GetFileName(path);
    if (keep.Contains(name) || !IsReadyToRun(path))
    {
        continue;
    }
    var shape = Shape(path);
    var time = File.GetLastWriteTimeUtc(path);
    var size = new FileInfo(path).Length;
    using (var module = ModuleDefinition.ReadModule(path, new ReaderParameters
    {
        ReadingMode = ReadingMode.Immediate,
        InMemory = true,
        AssemblyResolver = resolver,
    }))
    {
        // What an IL-only image says of itself (as the trimmer writes one): IL only, any CPU.
        module.Attributes = (module.Attributes | ModuleAttributes.ILOnly) & ~ModuleAttributes.ILLibrary & ~ModuleAttributes.Required32Bit;
        module.Architecture = TargetArchitecture.I386;
        // A new file moved over the old one: the resolver may still be reading the old one.
        module.Write(path + ".il");
    }
    File.Move(path + ".il", path, overwrite: true);
    if (IsReadyToRun(path) || Shape(path) != shape)
    {
        Console.Error.WriteLine($"il-only: {name} changed shape when rewritten ({shape} became {Shape(path)})");
        return 1;
    }
    File.SetLastWriteTimeUtc(path, time);
    before += size;
    after += new FileInfo(path).Length;
    rewritten++;
}
Console.WriteLine($"il-only: {rewritten} assemblies without ReadyToRun code, {before / 1_000_000} MB -> {after / 1_000_000} MB; {keep.Count} kept precompiled");
return 0;

static bool IsReadyToRun(string path)
{
    using var pe = new PEReader(File.OpenRead(path));
    var cor = pe.PEHeaders.CorHeader;
    return cor is not null && (cor.ManagedNativeHeaderDirectory.Size > 0 || (cor.Flags & CorFlags.ILOnly) == 0);
}

// Types, methods and the total IL of their bodies: a rewrite that lost or changed code changes it.
static string Shape(string path)
{
    using var pe = new PEReader(File.OpenRead(path));
    var md = pe.GetMetadataReader();
    long il = 0;
    foreach (var handle in md.MethodDefinitions)
    {
        var rva = md.GetMethodDefinition(handle).RelativeVirtualAddress;
        if (rva != 0)
        {
            il += pe.GetMethodBody(rva).GetILBytes()!.Length;
        }
    }
    return $"{md.TypeDefinitions.Count} types, {md.MethodDefinitions.Count} methods, {il} bytes of IL";
}
