using System.Text.Encodings.Web;
using System.Text;

namespace SharpBench.Http;

/// <summary>
/// Escapes as Python's <c>json.dumps</c> (ensure_ascii) does: every non-ASCII character and
/// control character as <c>\uXXXX</c> (lower-case hex), <c>"</c> and <c>\</c> with a backslash,
/// and nothing else, so <c>&lt;</c>, <c>&amp;</c> and <c>'</c> stay as they are.
/// </summary>
public sealed class AsciiJsonEncoder : JavaScriptEncoder
{
    public static readonly AsciiJsonEncoder Instance = new();

    public override int MaxOutputCharactersPerInputCharacter => 12;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar > 0x7E || unicodeScalar == '"' || unicodeScalar == '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
            if (WillEncode(text[i]))
                return i;
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        string text = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            < 0x10000 => $"\\u{unicodeScalar:x4}",
            _ => Surrogates(unicodeScalar),
        };
        if (text.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        for (var i = 0; i < text.Length; i++)
            buffer[i] = text[i];
        numberOfCharactersWritten = text.Length;
        return true;
    }

    private static string Surrogates(int scalar)
    {
        var rune = new Rune(scalar);
        Span<char> pair = stackalloc char[2];
        rune.EncodeToUtf16(pair);
        return $"\\u{(int)pair[0]:x4}\\u{(int)pair[1]:x4}";
    }
}
