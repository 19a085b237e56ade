namespace SharpBench.Model;

/// <summary>
/// The C# counterpart of a DocType's Python controller class: override the events you need.
/// Register one per DocType with <see cref="DocEvents.Controller"/> (or an app's
/// <c>Controllers</c>). Throwing a <see cref="FrappeException"/> stops the operation and rolls back.
/// Each event gets the unit of work's token: a job's timeout or a request's abort cancels it.
/// </summary>
public abstract class DocumentController
{
    /// <summary>Returns the name for a new document, or null to use the DocType's autoname rule.</summary>
    public virtual Task<string?> AutonameAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.FromResult<string?>(null);

    public virtual Task BeforeInsertAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task BeforeSaveAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task AfterInsertAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task OnUpdateAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task BeforeSubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task OnSubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task BeforeCancelAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task OnCancelAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task BeforeUpdateAfterSubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task OnUpdateAfterSubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task OnChangeAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task OnTrashAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task AfterDeleteAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Task.CompletedTask;
    public virtual Task BeforeRenameAsync(FrappeContext ctx, Document doc, string oldName, string newName, CancellationToken ct) => Task.CompletedTask;
    public virtual Task AfterRenameAsync(FrappeContext ctx, Document doc, string oldName, string newName, CancellationToken ct) => Task.CompletedTask;

    internal Task RunAsync(string eventName, FrappeContext ctx, Document doc, CancellationToken ct) => eventName switch
    {
        DocEvents.BeforeInsert => BeforeInsertAsync(ctx, doc, ct),
        DocEvents.Validate => ValidateAsync(ctx, doc, ct),
        DocEvents.BeforeSave => BeforeSaveAsync(ctx, doc, ct),
        DocEvents.AfterInsert => AfterInsertAsync(ctx, doc, ct),
        DocEvents.OnUpdate => OnUpdateAsync(ctx, doc, ct),
        DocEvents.BeforeSubmit => BeforeSubmitAsync(ctx, doc, ct),
        DocEvents.OnSubmit => OnSubmitAsync(ctx, doc, ct),
        DocEvents.BeforeCancel => BeforeCancelAsync(ctx, doc, ct),
        DocEvents.OnCancel => OnCancelAsync(ctx, doc, ct),
        DocEvents.BeforeUpdateAfterSubmit => BeforeUpdateAfterSubmitAsync(ctx, doc, ct),
        DocEvents.OnUpdateAfterSubmit => OnUpdateAfterSubmitAsync(ctx, doc, ct),
        DocEvents.OnChange => OnChangeAsync(ctx, doc, ct),
        DocEvents.OnTrash => OnTrashAsync(ctx, doc, ct),
        DocEvents.AfterDelete => AfterDeleteAsync(ctx, doc, ct),
        _ => Task.CompletedTask,
    };
}
