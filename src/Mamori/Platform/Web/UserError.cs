namespace Mamori.Platform.Web;

/// <summary>
/// The one user-facing error type: what went wrong in Japanese (first) and English, and optionally the form field it
/// concerns. Services return a list of these (empty when all is well) or throw <see cref="UserErrorException"/> when they
/// cannot go on; pages show them with <c>T.Of(error)</c> (next to <see cref="Field"/> when set) and never show an
/// exception's own message.
/// </summary>
public sealed record UserError(string Ja, string En, string? Field = null)
{
    public static implicit operator UserError((string Ja, string En) pair) => new(pair.Ja, pair.En);
    public override string ToString() => Ja;
}

/// <summary>A <see cref="UserError"/> raised where returning it is not possible (deep in a reader or a pipeline).</summary>
public class UserErrorException(UserError error) : Exception(error.En)
{
    public UserError Error { get; } = error;
}

/// <summary>The <see cref="UserError"/>s of one form, one per field (a second one for a field is added to its text): what
/// a form page shows next to each input.</summary>
public sealed class FieldErrors : IEnumerable<UserError>
{
    readonly Dictionary<string, UserError> byField = [];

    public int Count => byField.Count;

    public void Add(string field, UserError error) =>
        byField[field] = byField.TryGetValue(field, out var e) ? new UserError(e.Ja + " " + error.Ja, e.En + " " + error.En, field) : error with { Field = field };

    public UserError? For(string field) => byField.GetValueOrDefault(field);

    public IEnumerator<UserError> GetEnumerator() => byField.Values.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
