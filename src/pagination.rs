//! Pagination shared by every list: `?page=1&page_size=25` in, an envelope
//! with the total out.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;

/// A validated page request: page ≥ 1, 1 ≤ page_size ≤ 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    page_size: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// Raw query parameters as they arrive.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
}

impl PageRequest {
    pub fn new(page: u32, page_size: u32) -> Result<Self, crate::Error> {
        let mut validator = crate::domain::Validator::new();
        if page == 0 {
            validator.add("page", "page_number");
        }
        if page_size == 0 || page_size > MAX_PAGE_SIZE {
            validator.add("page_size", "page_size");
        }
        validator.finish(Some(Self { page, page_size }))
    }

    pub fn from_params(params: &PageParams) -> Result<Self, crate::Error> {
        Self::new(
            params.page.unwrap_or(1),
            params.page_size.unwrap_or(DEFAULT_PAGE_SIZE),
        )
    }

    pub fn page(self) -> u32 {
        self.page
    }

    pub fn page_size(self) -> u32 {
        self.page_size
    }

    pub fn limit(self) -> i64 {
        i64::from(self.page_size)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.page_size)
    }
}

/// One page of results with enough to render "page 2 of 7".
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub page_size: u32,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, request: PageRequest, total: i64) -> Self {
        Self {
            items,
            page: request.page,
            page_size: request.page_size,
            total,
        }
    }

    /// Cuts one page out of a list that is small enough to load whole.
    pub fn from_all(all: Vec<T>, request: PageRequest) -> Self {
        let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
        let skip = usize::try_from(request.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(request.limit()).unwrap_or(0);
        let items = all.into_iter().skip(skip).take(take).collect();
        Self::new(items, request, total)
    }

    pub fn page_count(&self) -> u32 {
        let pages = (self.total.max(0) as u64).div_ceil(u64::from(self.page_size));
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            page_size: self.page_size,
            total: self.total,
        }
    }
}

/// Declares the concrete, documented page type of one item type for the
/// OpenAPI document (`UnitPage` for `Unit`, …).
macro_rules! page_schema {
    ($name:ident, $item:ty) => {
        #[doc = concat!("A page of ", stringify!($item), " items.")]
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// The page number, from 1.
            pub page: u32,
            pub page_size: u32,
            /// Items across all pages.
            pub total: i64,
        }

        impl From<$crate::pagination::Page<$item>> for $name {
            fn from(page: $crate::pagination::Page<$item>) -> Self {
                Self {
                    items: page.items,
                    page: page.page,
                    page_size: page.page_size,
                    total: page.total,
                }
            }
        }
    };
}
pub(crate) use page_schema;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_bounds_and_counts_pages() {
        assert!(PageRequest::new(0, 10).is_err());
        assert!(PageRequest::new(1, 0).is_err());
        assert!(PageRequest::new(1, 101).is_err());
        let request = PageRequest::new(3, 10).unwrap();
        assert_eq!(request.offset(), 20);
        let page = Page::new(Vec::<u8>::new(), request, 21);
        assert_eq!(page.page_count(), 3);
        assert!(!page.has_next());
        assert!(page.has_previous());
        assert_eq!(
            Page::new(Vec::<u8>::new(), PageRequest::default(), 0).page_count(),
            1
        );
    }
}
