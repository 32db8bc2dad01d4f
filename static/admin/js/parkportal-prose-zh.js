"use strict";
// django-prose-editor (0.28) writes its toolbar labels in English outside gettext
// ("Heading 2", "bold", "Paragraph"); its dialogs use window.gettext and are
// translated by /admin/jsi18n/ (locale/zh_Hans/LC_MESSAGES/djangojs.po). This
// translates the toolbar's titles, aria-labels and menu texts as the editor builds
// them. Icon buttons keep their text: it is the Material icon's name.
(function () {
  const LABELS = {
    "bold": "加粗", "italic": "斜体", "underline": "下划线", "strike": "删除线",
    "subscript": "下标", "superscript": "上标", "paragraph": "正文段落",
    "heading 1": "一级标题", "heading 2": "二级标题", "heading 3": "三级标题",
    "heading 4": "四级标题", "heading 5": "五级标题", "heading 6": "六级标题",
    "unordered list": "无序列表", "ordered list": "有序列表", "blockquote": "引用",
    "horizontal rule": "分隔线", "insert link": "插入链接", "remove link": "删除链接",
    "undo": "撤销", "redo": "重做", "code block": "代码块", "code": "代码",
    "edit html": "编辑 HTML", "insert table": "插入表格", "merge cells": "合并单元格",
    "split cell": "拆分单元格", "figure": "图片", "styles": "样式", "title": "标题",
    "reset all classes": "清除全部样式", "toggle fullscreen": "切换全屏",
    "add column": "添加列", "delete column": "删除列", "add row": "添加行", "delete row": "删除行",
    "delete table": "删除表格", "toggle header cell": "切换表头单元格", "add caption": "添加图注",
    "remove caption": "删除图注", "block style": "段落样式", "html": "HTML",
  };
  const translated = (text) => LABELS[(text || "").trim().toLowerCase()];

  function translate(root) {
    const scope = root.querySelectorAll ? root : document;
    const nodes = [root, ...scope.querySelectorAll("[title], [aria-label], .prose-menubar *")];
    for (const el of nodes) {
      if (!(el instanceof Element) || !el.closest(".prose-menubar, .prose-editor, dialog")) continue;
      for (const attr of ["title", "aria-label"]) {
        const value = translated(el.getAttribute(attr));
        if (value) el.setAttribute(attr, value);
      }
      const isIcon = el.tagName === "BUTTON" || el.classList.contains("material-icons");
      if (!isIcon && el.children.length === 0) {
        const value = translated(el.textContent);
        if (value) el.textContent = value;
      }
    }
  }

  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) translate(node);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
