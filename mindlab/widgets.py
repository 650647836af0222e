from django import forms
from django.templatetags.static import static


class MarkdownEditor(forms.Textarea):
    """A Markdown field as a writing pane (EasyMDE, static/js/markdown-editor.js): a toolbar, a side-by-side
    preview that the site's own renderer makes (`preview_url`, mindlab/editor.py), paste from Word and
    Google Docs as Markdown (turndown), and a draft copy kept in the browser as the editor types.

    The textarea stays the field: the editor writes every change back to it, and text set on it (by a script
    or the media library's "mindlab:insert" event) goes into the editor. `height` is the writing pane's.
    """

    def __init__(self, preview_url, height="70vh", attrs=None):
        super().__init__(attrs={"rows": 24, "class": "vLargeTextField", **(attrs or {})})
        self.preview_url = preview_url
        self.height = height

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update({
            "data-markdown-editor": "",
            "data-preview-url": str(self.preview_url),
            # The preview pane is styled by the public site's own stylesheet, so it looks like the page.
            "data-preview-css": static("css/site.css"),
            "data-editor-height": self.height,
        })
        return context

    class Media:
        css = {"all": ["vendor/easymde/easymde.min.css", "css/markdown-editor.css"]}
        js = [
            "vendor/easymde/easymde.min.js",
            "vendor/turndown/turndown.js",
            "vendor/turndown-plugin-gfm/turndown-plugin-gfm.js",
            "js/markdown-editor.js",
        ]
