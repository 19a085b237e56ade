namespace SharpBench.Model;

/// <summary>
/// What Frappe's <c>frappe.utils.html_utils.sanitize_html</c> lets through when a document is
/// saved: html5lib's old sanitizer allow-list (HTML, SVG and MathML elements and their
/// attributes). The differences, and why, are in docs/compatibility.md ("HTML in saved values").
/// </summary>
internal static class HtmlAllowList
{
    /// <summary>HTML, SVG and MathML elements kept. Frappe also keeps meta, link and style; we drop them (they act on the whole page).</summary>
    public static readonly string[] Tags =
    [
        // HTML
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big", "blockquote", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command", "datagrid",
        "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "event-source",
        "fieldset", "figcaption", "figure", "footer", "font", "form", "header", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "input", "ins", "keygen", "kbd", "label", "legend", "li", "m", "map", "mark", "menu",
        "meter", "multicol", "nav", "nextid", "ol", "output", "optgroup", "option", "p", "pre", "progress", "q",
        "s", "samp", "section", "select", "small", "sound", "source", "spacer", "span", "strike", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "textarea", "time", "tfoot", "th", "thead", "tr", "tt",
        "u", "ul", "var", "video", "html", "head", "body", "o:p",
        // MathML
        "maction", "math", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover", "mpadded", "mphantom",
        "mprescripts", "mroot", "mrow", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd",
        "mtext", "mtr", "munder", "munderover", "none",
        // SVG
        "animate", "animateColor", "animateMotion", "animateTransform", "clipPath", "circle", "defs", "desc",
        "ellipse", "font-face", "font-face-name", "font-face-src", "g", "glyph", "hkern", "linearGradient",
        "line", "marker", "metadata", "missing-glyph", "mpath", "path", "polygon", "polyline", "radialGradient",
        "rect", "set", "stop", "svg", "switch", "text", "title", "tspan", "use",
    ];

    /// <summary>Attributes kept on any element (plus every <c>data-*</c>). Event handlers (<c>on*</c>) are never among them.</summary>
    public static readonly string[] Attributes =
    [
        "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "autocomplete", "autofocus",
        "axis", "background", "balance", "bgcolor", "bgproperties", "border", "bordercolor", "bordercolordark",
        "bordercolorlight", "bottompadding", "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff",
        "choff", "charset", "checked", "cite", "class", "clear", "color", "cols", "colspan", "compact",
        "contenteditable", "controls", "coords", "data", "datafld", "datapagesize", "datasrc", "datetime",
        "default", "delay", "dir", "disabled", "draggable", "dynsrc", "enctype", "end", "face", "for", "form",
        "frame", "galleryimg", "gutter", "headers", "height", "hidefocus", "hidden", "high", "href", "hreflang",
        "hspace", "icon", "id", "inputmode", "ismap", "keytype", "label", "leftspacing", "lang", "list",
        "longdesc", "loop", "loopcount", "loopend", "loopstart", "low", "lowsrc", "max", "maxlength", "media",
        "method", "min", "multiple", "name", "nohref", "noshade", "nowrap", "open", "optimum", "pattern", "ping",
        "point-size", "poster", "pqg", "preload", "prompt", "radiogroup", "readonly", "rel", "repeat-max",
        "repeat-min", "replace", "required", "rev", "rightspacing", "rows", "rowspan", "rules", "scope",
        "selected", "shape", "size", "span", "src", "start", "step", "style", "summary", "suppress", "tabindex",
        "target", "template", "title", "toppadding", "type", "unselectable", "usemap", "urn", "valign", "value",
        "variable", "volume", "vspace", "vrml", "width", "wrap", "xml:lang", "role", "frameborder",
        "allowfullscreen", "spellcheck", "itemprop", "itemscope", "itemtype", "itemid", "itemref",
    ];

    /// <summary>
    /// Attributes kept only on the <c>svg</c> element itself, as Frappe's per-tag rule has it. On
    /// its children they would let <c>&lt;set attributeName="href" to="javascript:…"&gt;</c> through.
    /// </summary>
    public static readonly string[] SvgAttributes =
    [
        "accent-height", "accumulate", "additive", "alphabetic", "arabic-form", "ascent", "attributeName",
        "attributeType", "baseProfile", "bbox", "begin", "by", "calcMode", "cap-height", "class", "clip-path",
        "color", "color-rendering", "content", "cx", "cy", "d", "dx", "dy", "descent", "display", "dur", "end",
        "fill", "fill-opacity", "fill-rule", "font-family", "font-size", "font-stretch", "font-style",
        "font-variant", "font-weight", "from", "fx", "fy", "g1", "g2", "glyph-name", "gradientUnits", "hanging",
        "height", "horiz-adv-x", "horiz-origin-x", "id", "ideographic", "k", "keyPoints", "keySplines",
        "keyTimes", "lang", "marker-end", "marker-mid", "marker-start", "markerHeight", "markerUnits",
        "markerWidth", "mathematical", "max", "min", "name", "offset", "opacity", "orient", "origin",
        "overline-position", "overline-thickness", "panose-1", "path", "pathLength", "points",
        "preserveAspectRatio", "r", "refX", "refY", "repeatCount", "repeatDur", "requiredExtensions",
        "requiredFeatures", "restart", "rotate", "rx", "ry", "slope", "stemh", "stemv", "stop-color",
        "stop-opacity", "strikethrough-position", "strikethrough-thickness", "stroke", "stroke-dasharray",
        "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity",
        "stroke-width", "systemLanguage", "target", "text-anchor", "to", "transform", "type", "u1", "u2",
        "underline-position", "underline-thickness", "unicode", "unicode-range", "units-per-em", "values",
        "version", "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2", "xlink:actuate",
        "xlink:arcrole", "xlink:href", "xlink:role", "xlink:show", "xlink:title", "xlink:type", "xml:base",
        "xml:lang", "xml:space", "xmlns", "xmlns:xlink", "y", "y1", "y2", "zoomAndPan",
    ];

    /// <summary>URL schemes kept in href, src and the other URL attributes; relative URLs are kept too. <c>data:</c> only as an image.</summary>
    public static readonly string[] Schemes = ["http", "https", "mailto", "cid", "data"];
}
