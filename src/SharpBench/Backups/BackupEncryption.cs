using System.Diagnostics;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// Frappe's backup encryption: OpenPGP symmetric encryption by <c>gpg</c> with the site's
/// <c>backup_encryption_key</c> as passphrase, so either side decrypts the other's files. The
/// passphrase goes through a private file (not the command line), and gpg gets a throwaway home
/// so it never touches the user's keyring.
/// </summary>
public static class BackupEncryption
{
    public static Task EncryptAsync(string input, string output, string key, CancellationToken ct) =>
        RunAsync(["--symmetric", "--cipher-algo", "AES256", "--output", output, input], key, wrongKeyMessage: null, ct);

    public static Task DecryptAsync(string input, string output, string key, CancellationToken ct) =>
        RunAsync(["--output", output, "--decrypt", input], key,
            $"Could not decrypt {Path.GetFileName(input)}: the encryption key is wrong or the file is damaged. Nothing was changed.", ct);

    /// <summary>Whether a backup file is encrypted: an OpenPGP packet rather than gzip, tar or JSON.</summary>
    public static bool IsEncrypted(string path)
    {
        if (Path.GetFileName(path).Contains("-enc.", StringComparison.Ordinal))
            return true;
        using var f = File.OpenRead(path);
        var b = f.ReadByte();
        // An OpenPGP packet header has its top bit set: 0x8c (old format, tag 3: symmetric key) or 0xc3 (new format).
        return b is 0x8c or 0x8d or 0xc3;
    }

    private static async Task RunAsync(string[] args, string key, string? wrongKeyMessage, CancellationToken ct)
    {
        var home = Directory.CreateTempSubdirectory("sb-gpg-");
        try
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(home.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var passFile = Path.Combine(home.FullName, "passphrase");
            await File.WriteAllTextAsync(passFile, key, ct);
            var psi = new ProcessStartInfo("gpg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "--homedir", home.FullName, "--batch", "--yes", "--quiet", "--pinentry-mode", "loopback", "--passphrase-file", passFile })
                psi.ArgumentList.Add(a);
            foreach (var a in args)
                psi.ArgumentList.Add(a);
            Process process;
            try
            {
                process = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new BenchException("gpg not found in PATH: it is needed for encrypted backups (Debian package gpg).", e);
            }
            using (process)
            {
                var err = process.StandardError.ReadToEndAsync(ct);
                var @out = process.StandardOutput.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                var text = (await err).Trim();
                await @out;
                if (process.ExitCode != 0)
                    throw new BenchException(wrongKeyMessage ?? $"gpg failed (exit code {process.ExitCode}): {text}");
            }
        }
        finally
        {
            try
            {
                home.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
