namespace SharpBench.Model;

/// <summary>
/// The C# counterpart of a DocType's Python controller class: override the events you need.
/// Register one per DocType with <see cref="DocEvents.Controller"/> (or an app's
/// <c>Controllers</c>). Throwing a <see cref="FrappeException"/> stops the operation and rolls back.
/// </summary>
public abstract class DocumentController
{
    /// <summary>Returns the name for a new document, or null to use the DocType's autoname rule.</summary>
    public virtual Task<string?> AutonameAsync(FrappeContext ctx, Document doc) => Task.FromResult<string?>(null);

    public virtual Task BeforeInsertAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task ValidateAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task BeforeSaveAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task AfterInsertAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task OnUpdateAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task BeforeSubmitAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task OnSubmitAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task BeforeCancelAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task OnCancelAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task BeforeUpdateAfterSubmitAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task OnUpdateAfterSubmitAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task OnChangeAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task OnTrashAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task AfterDeleteAsync(FrappeContext ctx, Document doc) => Task.CompletedTask;
    public virtual Task BeforeRenameAsync(FrappeContext ctx, Document doc, string oldName, string newName) => Task.CompletedTask;
    public virtual Task AfterRenameAsync(FrappeContext ctx, Document doc, string oldName, string newName) => Task.CompletedTask;

    internal Task RunAsync(string eventName, FrappeContext ctx, Document doc) => eventName switch
    {
        DocEvents.BeforeInsert => BeforeInsertAsync(ctx, doc),
        DocEvents.Validate => ValidateAsync(ctx, doc),
        DocEvents.BeforeSave => BeforeSaveAsync(ctx, doc),
        DocEvents.AfterInsert => AfterInsertAsync(ctx, doc),
        DocEvents.OnUpdate => OnUpdateAsync(ctx, doc),
        DocEvents.BeforeSubmit => BeforeSubmitAsync(ctx, doc),
        DocEvents.OnSubmit => OnSubmitAsync(ctx, doc),
        DocEvents.BeforeCancel => BeforeCancelAsync(ctx, doc),
        DocEvents.OnCancel => OnCancelAsync(ctx, doc),
        DocEvents.BeforeUpdateAfterSubmit => BeforeUpdateAfterSubmitAsync(ctx, doc),
        DocEvents.OnUpdateAfterSubmit => OnUpdateAfterSubmitAsync(ctx, doc),
        DocEvents.OnChange => OnChangeAsync(ctx, doc),
        DocEvents.OnTrash => OnTrashAsync(ctx, doc),
        DocEvents.AfterDelete => AfterDeleteAsync(ctx, doc),
        _ => Task.CompletedTask,
    };
}
