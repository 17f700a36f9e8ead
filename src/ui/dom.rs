//! Static markup written straight into detached DOM nodes, shown with [`Html::VRef`].
//!
//! The « Synthèse » tables are many cells of fixed markup with no control of their own: building them as Yew
//! nodes cost about 15 KB of wasm (docs/SIZE.md), most of it the `html!` expansion of each cell. Writing them here
//! costs a few calls per element. Text only ever goes in through `Element::append_with_str_1` (a text node) and
//! attribute values through `setAttribute`: nothing is parsed as HTML, so dataset text never becomes markup and
//! the view works under Trusted Types. The nodes are made once per result set (the explorer memoises them) and
//! Yew keeps a `VRef` node as long as it is the same node, so focus and selection in them survive renders.

use wasm_bindgen::UnwrapThrowExt;
use web_sys::{Document, Element};
use yew::Html;

/// A writer of one element's subtree: `open` a child, set its attributes, write text, `close` it.
pub struct Dom {
    doc: Document,
    /// The open elements, the root first.
    stack: Vec<Element>,
}

impl Dom {
    /// A detached `tag` element with `class`, open for its children.
    pub fn new(tag: &str, class: &str) -> Dom {
        let doc = web_sys::window().and_then(|w| w.document()).expect_throw("document");
        let mut dom = Dom { doc, stack: Vec::with_capacity(8) };
        let root = dom.doc.create_element(tag).unwrap_throw();
        dom.stack.push(root);
        dom.attr("class", class);
        dom
    }

    fn top(&self) -> &Element {
        // The root is never closed: `close` keeps it.
        &self.stack[self.stack.len() - 1]
    }

    /// Opens a `tag` child of the element open last.
    #[inline(never)]
    pub fn open(&mut self, tag: &str) -> &mut Dom {
        let el = self.doc.create_element(tag).unwrap_throw();
        self.top().append_with_node_1(&el).unwrap_throw();
        self.stack.push(el);
        self
    }

    /// Sets an attribute of the element open last.
    #[inline(never)]
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Dom {
        self.top().set_attribute(name, value).unwrap_throw();
        self
    }

    /// Appends `text` (a text node, never parsed) to the element open last.
    #[inline(never)]
    pub fn text(&mut self, text: &str) -> &mut Dom {
        self.top().append_with_str_1(text).unwrap_throw();
        self
    }

    /// Closes the element open last (never the root).
    pub fn close(&mut self) -> &mut Dom {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
        self
    }

    /// A `tag` child holding `text` only.
    #[inline(never)]
    pub fn leaf(&mut self, tag: &str, text: &str) -> &mut Dom {
        self.open(tag).text(text).close()
    }

    /// The root, to show.
    pub fn html(self) -> Html {
        Html::VRef(self.stack.into_iter().next().expect_throw("root").into())
    }
}
